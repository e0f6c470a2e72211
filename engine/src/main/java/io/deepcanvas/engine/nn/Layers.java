package io.deepcanvas.engine.nn;

/** Hyperparameter checks shared by the layers, with PyTorch-style messages that name the layer and value. */
final class Layers {
    private Layers() {
    }

    static void checkPositive(String layer, String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(layer + ": " + name + " must be a positive integer, got " + value);
        }
    }

    static int[] checkPair(String layer, String name, int[] pair, int min) {
        if (pair == null || pair.length != 2) {
            throw new IllegalArgumentException(layer + ": " + name + " must be one number or a pair (h, w)");
        }
        if (pair[0] < min || pair[1] < min) {
            throw new IllegalArgumentException(layer + ": " + name + " must be >= " + min + ", got "
                    + Repr.tuple(pair));
        }
        return pair.clone();
    }

    static int[] pair(int v) {
        return new int[] {v, v};
    }
}
