package io.deepcanvas.engine.io;

import io.deepcanvas.engine.graph.PyTorchExporter;
import io.deepcanvas.engine.graph.ShapeReport;
import io.deepcanvas.engine.nn.Repr;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A project as one self-contained PyTorch program: the network ({@link PyTorchExporter#module}), MNIST read from
 * its IDX files, the project's transforms, batch size, shuffle, seed, loss, optimizer and epochs, and two commands:
 * {@code train} (also distributed under {@code torchrun}, with DistributedDataParallel) and {@code eval} (printed as
 * {@code deepcanvas eval} prints it). The fixed part of the program is the resource {@code pytorch_program.py};
 * this class fills in the network and the recipe. Weights travel as {@code .safetensors} under PyTorch's names.
 */
public final class PyTorchProgram {
    private static final String TEMPLATE = "pytorch_program.py";

    /**
     * Where the program's files are.
     *
     * @param scriptName       the file name of the script ({@code lenet5.py}), for its usage lines
     * @param weightsName      the weights file beside the script ({@code lenet5.safetensors}): the default of
     *                         {@code eval} and where {@code train} saves
     * @param startFromWeights true when the weights were exported with the script: {@code train} starts from them
     * @param dataFolder       the MNIST folder DeepCanvas reads, the script's last-resort default; null for none
     */
    public record ProgramFiles(String scriptName, String weightsName, boolean startFromWeights, String dataFolder) {
    }

    private PyTorchProgram() {
    }

    /** The program for {@code project}, whose network {@code report} describes (and must compile). */
    public static String export(Project project, ShapeReport report, ProgramFiles files) {
        String net = PyTorchExporter.module(report);
        String template = template();
        return template.replace("# @HEADER@\n", header(project, files))
                .replace("# @NET@\n", net)
                .replace("# @RECIPE@\n", recipe(project, report, files));
    }

    private static String header(Project project, ProgramFiles f) {
        String s = f.scriptName();
        return """
                #!/usr/bin/env python3
                # %s: designed in DeepCanvas, exported as a whole PyTorch program (network, MNIST, training recipe).
                #
                #   python3 %s train [--data DIR] [--epochs N] [--max-steps N] [--save W] [--weights W|none]
                #   python3 %s eval [W] [--data DIR] [--limit-test N]
                #
                # train saves the weights as %s beside this script (or --save W), with PyTorch's parameter
                # names, in the .safetensors format DeepCanvas opens (deepcanvas eval PROJECT --weights W). %s
                #
                # On several GPUs or machines, the same train command runs under torchrun, or any launcher that sets
                # RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and MASTER_PORT: DistributedDataParallel with NCCL on
                # GPUs (one per process, chosen by LOCAL_RANK) and gloo on CPUs; each process trains on its share of
                # the data (DistributedSampler) with the batch size per process; rank 0 alone prints and saves.
                #   torchrun --nproc_per_node=4 %s train
                #   torchrun --nnodes=2 --node_rank=0 --nproc_per_node=8 --master_addr=HOST --master_port=29500 %s train
                #
                # Needs PyTorch only (no torchvision; the safetensors package is used when installed).
                """.formatted(project.name(), s, s, f.weightsName(), f.startFromWeights()
                ? "train and eval start from\n# the weights exported with this script, " + f.weightsName()
                + ", unless --weights says otherwise."
                : "eval scores that file by\n# default; train starts from fresh weights seeded as in the project.",
                s, s);
    }

    private static String recipe(Project project, ShapeReport report, ProgramFiles f) {
        TrainingSettings t = project.training();
        StringBuilder transforms = new StringBuilder("[");
        for (TrainingSettings.Transform tr : t.transforms()) {
            if (transforms.length() > 1) {
                transforms.append(", ");
            }
            if (tr instanceof TrainingSettings.Pad p) {
                transforms.append("(\"Pad\", ").append(p.padding()).append(')');
            } else if (tr instanceof TrainingSettings.Normalize n) {
                transforms.append("(\"Normalize\", ").append(num(n.mean())).append(", ").append(num(n.std()))
                        .append(')');
            }
        }
        transforms.append(']');
        int[] dims = report.outputShape(report.inputId()).toArray();
        StringBuilder inputShape = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            inputShape.append(i > 0 ? ", " : "").append(dims[i]);
        }
        inputShape.append(dims.length == 1 ? ",)" : ")"); // (784,) is a tuple, (784) a number
        return """
                # ---- the project's training recipe, as DeepCanvas trains it --------------------------------------------------

                PROJECT = %s
                HERE = os.path.dirname(os.path.abspath(__file__))
                SCRIPT = os.path.basename(__file__)
                INPUT_SHAPE = %s  # one sample, as the Input node declares it
                TRANSFORMS = %s  # after ToTensor (grey levels to [0, 1]), in this order
                BATCH_SIZE = %d
                EPOCHS = %d
                SHUFFLE = %s
                SEED = %d  # the initial weights and the shuffle
                DATA_DIR = %s  # where DeepCanvas read MNIST when this was exported
                WEIGHTS_FILE = %s  # beside this script
                START_FROM_WEIGHTS = %s
                LOSS_NAME = %s
                OPTIMIZER_TEXT = %s


                def make_loss():
                    return nn.%s()


                def make_optimizer(params):
                    return %s
                """.formatted(str(project.name()), inputShape, transforms, t.batchSize(), t.epochs(),
                Repr.py(t.shuffle()), t.seed(), f.dataFolder() == null ? "None" : str(f.dataFolder()),
                str(f.weightsName()), Repr.py(f.startFromWeights()), str(t.loss()),
                str(t.optimizer().describe(t.optimizer().lr())), t.loss(), constructor(t.optimizer()));
    }

    /** {@code torch.optim.Adam(params, lr=0.001, betas=(0.9, 0.999), ...)} with every setting written out. */
    static String constructor(OptimizerSettings o) {
        if (o instanceof OptimizerSettings.SGD s) {
            return "torch.optim.SGD(params, lr=%s, momentum=%s, dampening=%s, weight_decay=%s, nesterov=%s)"
                    .formatted(num(s.lr()), num(s.momentum()), num(s.dampening()), num(s.weightDecay()),
                            Repr.py(s.nesterov()));
        } else if (o instanceof OptimizerSettings.Adam a) {
            return "torch.optim.Adam(params, lr=%s, betas=(%s, %s), eps=%s, weight_decay=%s, amsgrad=%s)"
                    .formatted(num(a.lr()), num(a.beta1()), num(a.beta2()), num(a.eps()), num(a.weightDecay()),
                            Repr.py(a.amsgrad()));
        } else if (o instanceof OptimizerSettings.RMSprop r) {
            return "torch.optim.RMSprop(params, lr=%s, alpha=%s, eps=%s, weight_decay=%s, momentum=%s, centered=%s)"
                    .formatted(num(r.lr()), num(r.alpha()), num(r.eps()), num(r.weightDecay()), num(r.momentum()),
                            Repr.py(r.centered()));
        }
        throw new IllegalArgumentException("unknown optimizer '" + o.type() + "': use SGD, Adam or RMSprop");
    }

    /** A Python float literal of the value as the project file holds it (a double, not rounded to float32). */
    private static String num(double v) {
        String s = Double.toString(v).toLowerCase(Locale.ROOT);
        return s.contains("e") || s.contains(".") ? s : s + ".0";
    }

    /** A Python string literal. */
    static String str(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static String template() {
        try (InputStream in = PyTorchProgram.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("resource io/deepcanvas/engine/io/" + TEMPLATE
                        + " is missing from the build: rebuild DeepCanvas (mvn package)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
