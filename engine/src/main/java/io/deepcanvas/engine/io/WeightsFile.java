package io.deepcanvas.engine.io;

import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A project's trained weights in a {@code .safetensors} file, under PyTorch's parameter names (what
 * {@code torch.save(net.state_dict())} holds, in the format {@code safetensors.torch.load_file} reads).
 */
public final class WeightsFile {
    private WeightsFile() {
    }

    /** {@code NAME.safetensors} for the project file {@code NAME.json}. */
    public static String defaultName(Path projectFile) {
        String base = projectFile.getFileName().toString();
        return (base.endsWith(".json") ? base.substring(0, base.length() - 5) : base) + ".safetensors";
    }

    /** The file the project's {@code weights} field names beside its file, or {@link #defaultName} when none. */
    public static Path beside(Project project, Path projectFile) {
        String name = project.weights() != null ? project.weights() : defaultName(projectFile);
        return projectFile.toAbsolutePath().getParent().resolve(name);
    }

    /**
     * Loads {@code file} into {@code model}. Throws {@link IOException} when it cannot be read, and
     * {@link IllegalArgumentException} naming the parameters when the weights do not fit the network.
     */
    public static void read(Module model, Path file) throws IOException {
        Map<String, Tensor> state = Safetensors.read(file);
        model.loadStateDict(state, true);
    }

    /** Writes {@code model}'s state dict to {@code file}. */
    public static void write(Module model, Path file) throws IOException {
        Safetensors.write(model.stateDict(), Map.of("format", "pt"), file);
    }
}
