package io.deepcanvas.app.editor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The code view's text work, free of controls: a script split into lines, which lines belong to a layer (to
 * highlight them), and selected lines joined for the clipboard.
 */
final class CodeLines {
    /** The Input's line in forward when its value is kept by name for a later layer: {@code input = x}. */
    private static final Pattern INPUT_ALIAS = Pattern.compile("\\w+ = x");

    private CodeLines() {
    }

    /** The lines of {@code code}, without the empty one after its final newline. */
    static List<String> split(String code) {
        List<String> lines = new ArrayList<>(List.of(code.split("\n", -1)));
        if (lines.size() > 1 && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    /** The lines that use the module {@code self.<label>}: its constructor in {@code __init__}, its call in forward. */
    static List<Integer> moduleLines(List<String> lines, String label) {
        // whole words only: conv1 must not light up conv10's lines
        Pattern module = Pattern.compile("\\bself\\." + Pattern.quote(label) + "\\b");
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (module.matcher(lines.get(i)).find()) {
                found.add(i);
            }
        }
        return found;
    }

    /**
     * The line of {@code forward} that computes each node, for layers without a module (Add, Concat, the Input),
     * whose lines name no {@code self.<label>}. The exporter writes one line per node in running order ({@code
     * order}); the Input's is {@code <name> = x} when a later layer needs it by name, else the {@code # x: [N, ...]}
     * comment that describes it. Empty when there is no {@code forward} (the note for an invalid network).
     */
    static Map<String, Integer> forwardLines(List<String> lines, List<String> order, String inputId) {
        Map<String, Integer> out = new HashMap<>();
        int i = forwardStart(lines);
        if (i < 0) {
            return out;
        }
        int comment = -1;
        if (i < lines.size() && lines.get(i).strip().startsWith("#")) {
            comment = i++;
        }
        for (String id : order) {
            if (i >= lines.size() || !isForwardBody(lines.get(i)) || lines.get(i).strip().startsWith("return ")) {
                break;
            }
            if (id.equals(inputId)) {
                if (INPUT_ALIAS.matcher(lines.get(i).strip()).matches()) {
                    out.put(id, i++);
                } else if (comment >= 0) {
                    out.put(id, comment);
                }
                continue;
            }
            out.put(id, i++);
        }
        return out;
    }

    /** The first line after {@code def forward(self, x):}, or -1 when there is none. */
    private static int forwardStart(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().startsWith("def forward(")) {
                return i + 1;
            }
        }
        return -1;
    }

    private static boolean isForwardBody(String line) {
        return line.isBlank() || line.startsWith("        ");
    }

    /** The lines at {@code indices} (sorted) joined as text, for copying a selection. */
    static String join(List<String> lines, Collection<Integer> indices) {
        StringBuilder sb = new StringBuilder();
        for (int i : new TreeSet<>(indices)) {
            if (i >= 0 && i < lines.size()) {
                sb.append(lines.get(i)).append('\n');
            }
        }
        return sb.toString();
    }
}
