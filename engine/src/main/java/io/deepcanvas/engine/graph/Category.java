package io.deepcanvas.engine.graph;

/** The palette groups a layer belongs to, in the order the palette shows them. */
public enum Category {
    INPUT("Input"),
    CONVOLUTION("Convolution"),
    POOLING("Pooling"),
    ACTIVATION("Activation"),
    LINEAR("Linear"),
    NORMALIZATION("Normalization"),
    REGULARIZATION("Regularization"),
    MERGE("Merge"),
    RESHAPE("Reshape");

    private final String displayName;

    Category(String displayName) {
        this.displayName = displayName;
    }

    /** The heading shown in the palette. */
    public String displayName() {
        return displayName;
    }
}
