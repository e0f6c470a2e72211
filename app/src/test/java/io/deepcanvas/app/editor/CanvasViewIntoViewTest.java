package io.deepcanvas.app.editor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The least pan that brings a network back into the canvas ({@link CanvasView#keepContentInView}). */
class CanvasViewIntoViewTest {

    @Test
    void aNetworkThatFitsIsShiftedJustInsideTheMargin() {
        // 400 px of canvas, 40 px margins: a 130 px network half above the top comes down to the margin
        assertEquals(105, CanvasView.intoView(-65, 65, 400), 1e-9);
        // past the far edge: back to the far margin
        assertEquals(-50, CanvasView.intoView(300, 410, 400), 1e-9);
        // already inside: left alone
        assertEquals(0, CanvasView.intoView(50, 300, 400), 1e-9);
    }

    @Test
    void aNetworkLargerThanTheCanvasMovesOnlyWhenEntirelyOutOfView() {
        // zoomed in on a part: left as the user put it
        assertEquals(0, CanvasView.intoView(-500, 900, 400), 1e-9);
        // wholly off to the left or right: its start comes to the margin
        assertEquals(1040, CanvasView.intoView(-1000, 20, 400), 1e-9);
        assertEquals(-460, CanvasView.intoView(500, 1500, 400), 1e-9);
    }
}
