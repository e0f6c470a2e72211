package io.deepcanvas.app.training;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import io.deepcanvas.engine.io.AtomicFiles;
import io.deepcanvas.engine.io.Project;
import io.deepcanvas.engine.io.ProjectFile;
import io.deepcanvas.engine.io.WeightsFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The run history on disk, beside the project: {@code NAME.runs/run-20261204-214005/} holds {@code project.json}
 * (the network and settings as trained, a project file that opens on its own), {@code run.json} (how it ended, the
 * test measurements, epochs and learning-rate changes), {@code metrics.csv} (every step, the same columns the CSV
 * export writes, so a spreadsheet opens it as is) and {@code weights.safetensors}. Every file is written atomically;
 * IO thread only.
 */
public final class RunStore {
    static final String META = "run.json";
    static final String PROJECT = "project.json";
    static final String METRICS = "metrics.csv";
    static final String CSV_HEADER = "step,epoch,loss,accuracy,learning_rate,test_loss,test_accuracy";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            // NaN is how a run without accuracy says so: written and read back as such
            .setStrictness(Strictness.LENIENT).create();

    private RunStore() {
    }

    /** What {@code run.json} holds. */
    private record Meta(int format, String id, String started, String outcome, double elapsedSeconds, String device,
                        int steps, List<TrainingViewModel.TestPoint> tests, List<TrainingViewModel.EpochMark> epochs,
                        List<TrainingViewModel.LearningRateMark> learningRateChanges) {
    }

    /** {@code NAME.runs} beside the project file {@code NAME.json}. */
    public static Path folderOf(Path projectFile) {
        String base = projectFile.getFileName().toString();
        base = base.endsWith(".json") ? base.substring(0, base.length() - 5) : base;
        return projectFile.toAbsolutePath().resolveSibling(base + ".runs");
    }

    /**
     * Keeps {@code run} beside {@code projectFile} and returns it with its folder. Its weights come from the network
     * it holds, else from the folder it was kept in before (a project saved under a new name takes its history).
     */
    public static RunRecord write(RunRecord run, Path projectFile) throws IOException {
        Path folder = folderOf(projectFile).resolve(run.id());
        if (folder.equals(run.folder())) {
            return run;
        }
        Files.createDirectories(folder);
        if (run.network() != null) {
            WeightsFile.write(run.network().module(), folder.resolve(RunRecord.WEIGHTS));
        } else if (run.weightsFile() != null && Files.isRegularFile(run.weightsFile())) {
            Files.copy(run.weightsFile(), folder.resolve(RunRecord.WEIGHTS), StandardCopyOption.REPLACE_EXISTING);
        }
        new ProjectFile().save(run.project(), folder.resolve(PROJECT));
        AtomicFiles.write(folder.resolve(METRICS), out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            writeCsv(run, w);
            w.flush();
        });
        Meta meta = new Meta(1, run.id(), run.started().toString(), run.outcome(),
                run.elapsed().toMillis() / 1000.0, run.device(), run.steps(), run.tests(), run.epochs(),
                run.lrChanges());
        AtomicFiles.write(folder.resolve(META), out -> out.write(GSON.toJson(meta).getBytes(StandardCharsets.UTF_8)));
        return run.inFolder(folder);
    }

    /** Writes {@code run}'s metrics as CSV to {@code target} (atomically): one row per step. */
    public static void exportCsv(RunRecord run, Path target) throws IOException {
        AtomicFiles.write(target, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            writeCsv(run, w);
            w.flush();
        });
    }

    /**
     * One row per step: its epoch, loss, batch accuracy and learning rate, and the test loss and accuracy on the
     * steps after which the test set was measured (empty elsewhere).
     */
    static void writeCsv(RunRecord run, Writer w) throws IOException {
        w.write(CSV_HEADER);
        w.write('\n');
        int t = 0;
        List<TrainingViewModel.TestPoint> tests = run.tests();
        StringBuilder row = new StringBuilder(96);
        for (int i = 0; i < run.steps(); i++) {
            long step = i + 1L;
            row.setLength(0);
            row.append(step).append(',').append(run.epochOfStep()[i]).append(',').append(number(run.loss()[i]))
                    .append(',').append(number(run.accuracy()[i])).append(',')
                    .append(number(run.learningRateAt(step)));
            while (t < tests.size() && tests.get(t).step() < step) {
                t++;
            }
            if (t < tests.size() && tests.get(t).step() == step) {
                row.append(',').append(number(tests.get(t).loss())).append(',')
                        .append(number(tests.get(t).accuracy()));
                t++;
            } else {
                row.append(",,");
            }
            w.write(row.append('\n').toString());
        }
    }

    /** The shortest text that reads back as the same float: the history keeps exactly what was trained. */
    private static String number(float v) {
        return Float.isNaN(v) ? "" : Float.toString(v);
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    /**
     * Every run kept beside {@code projectFile}, oldest first. A folder that cannot be read is left out and named in
     * {@code problems} (the rest still show).
     */
    public static List<RunRecord> readAll(Path projectFile, List<String> problems) {
        Path dir = folderOf(projectFile);
        List<RunRecord> runs = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return runs;
        }
        List<Path> folders;
        try (Stream<Path> s = Files.list(dir)) {
            folders = s.filter(p -> Files.isRegularFile(p.resolve(META))).sorted().toList();
        } catch (IOException e) {
            problems.add(dir + ": " + e.getMessage());
            return runs;
        }
        for (Path f : folders) {
            try {
                runs.add(read(f));
            } catch (IOException | RuntimeException e) {
                problems.add(f.getFileName() + ": " + e.getMessage());
            }
        }
        runs.sort(Comparator.comparing(RunRecord::started));
        return runs;
    }

    /** Reads one run's folder. */
    static RunRecord read(Path folder) throws IOException {
        Meta meta;
        try {
            meta = GSON.fromJson(Files.readString(folder.resolve(META)), Meta.class);
        } catch (JsonParseException e) {
            throw new IOException(META + " is not valid JSON: " + e.getMessage(), e);
        }
        if (meta == null || meta.id() == null || meta.started() == null) {
            throw new IOException(META + " lacks the run's id or start time");
        }
        Project project = ProjectFile.withLayerRegistry().load(folder.resolve(PROJECT));
        int n = meta.steps();
        float[] loss = new float[n];
        float[] accuracy = new float[n];
        int[] epoch = new int[n];
        Arrays.fill(accuracy, Float.NaN);
        try (BufferedReader r = Files.newBufferedReader(folder.resolve(METRICS), StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (!CSV_HEADER.equals(header)) {
                throw new IOException(METRICS + " does not start with the header " + CSV_HEADER);
            }
            String line;
            int row = 1;
            while ((line = r.readLine()) != null) {
                row++;
                if (line.isBlank()) {
                    continue;
                }
                String[] c = line.split(",", -1);
                try {
                    int i = Integer.parseInt(c[0]) - 1;
                    if (i < 0 || i >= n) {
                        throw new IOException(METRICS + " row " + row + ": step " + c[0] + " is outside 1…" + n);
                    }
                    epoch[i] = Integer.parseInt(c[1]);
                    loss[i] = parse(c[2]);
                    accuracy[i] = parse(c[3]);
                } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                    throw new IOException(METRICS + " row " + row + " is not a row of numbers: " + line, e);
                }
            }
        }
        Duration elapsed = Duration.ofMillis(Math.round(meta.elapsedSeconds() * 1000));
        return new RunRecord(meta.id(), Instant.parse(meta.started()), project,
                meta.outcome() == null ? "COMPLETED" : meta.outcome(), elapsed,
                meta.device() == null ? "" : meta.device(), loss, accuracy, epoch, orEmpty(meta.tests()),
                orEmpty(meta.epochs()), orEmpty(meta.learningRateChanges()), null, folder);
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static float parse(String s) {
        return s.isEmpty() ? Float.NaN : Float.parseFloat(s);
    }

    /** Removes a kept run's folder (the user deleted it from the history). */
    public static void delete(RunRecord run) throws IOException {
        if (run.folder() == null || !Files.isDirectory(run.folder())) {
            return;
        }
        try (Stream<Path> s = Files.walk(run.folder())) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
