package io.deepcanvas.engine.autograd;

/** A no-grad scope ({@code torch.no_grad()}); closing it restores the previous grad mode. */
public final class NoGrad implements AutoCloseable {
    private final boolean previous;

    NoGrad(boolean previous) {
        this.previous = previous;
    }

    @Override
    public void close() {
        GradMode.restore(previous);
    }
}
