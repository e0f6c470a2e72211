package io.deepcanvas.app.model;

import io.deepcanvas.engine.graph.NetworkGraph;
import java.util.function.Consumer;

/**
 * A problem's one-click remedy ("Insert Flatten before 'fc1'"): a change of the graph that the model applies as
 * one undoable command.
 *
 * @param description the action in the user's words, already translated; also the command's name
 */
public record Fix(String description, Consumer<NetworkGraph> change) {
}
