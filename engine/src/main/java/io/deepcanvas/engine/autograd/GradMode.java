package io.deepcanvas.engine.autograd;

/**
 * Whether operations record a graph for backward, per thread (PyTorch's grad mode). Use
 * {@code try (NoGrad scope = GradMode.noGrad()) { ... }} like {@code with torch.no_grad():}.
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {
    }

    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Turns gradient recording off until the returned scope is closed. */
    public static NoGrad noGrad() {
        boolean[] flag = ENABLED.get();
        boolean previous = flag[0];
        flag[0] = false;
        return new NoGrad(previous);
    }

    static void restore(boolean previous) {
        ENABLED.get()[0] = previous;
    }
}
