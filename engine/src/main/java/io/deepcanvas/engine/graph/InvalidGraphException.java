package io.deepcanvas.engine.graph;

import java.util.List;

/** Thrown when a graph with problems is compiled; lists every problem, as the editor's problems panel does. */
public final class InvalidGraphException extends IllegalArgumentException {
    private final List<Problem> problems;

    public InvalidGraphException(List<Problem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    private static String describe(List<Problem> problems) {
        StringBuilder sb = new StringBuilder("the network cannot be compiled: " + problems.size()
                + (problems.size() == 1 ? " problem" : " problems"));
        for (Problem p : problems) {
            sb.append("\n  - ").append(p.message());
        }
        return sb.toString();
    }

    public List<Problem> problems() {
        return problems;
    }
}
