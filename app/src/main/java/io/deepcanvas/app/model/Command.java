package io.deepcanvas.app.model;

/**
 * One undoable edit, as the user names it in Edit ▸ Undo ("Undo Add Conv2d"). Commands are recorded as the states
 * before and after: a graph of a few hundred nodes copies in microseconds, and restoring whole states cannot drift
 * the way hand-written inverse operations can.
 *
 * @param description the edit in the user's words, already translated
 */
public record Command(String description, EditorState before, EditorState after) {
}
