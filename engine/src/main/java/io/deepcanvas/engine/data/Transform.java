package io.deepcanvas.engine.data;

import io.deepcanvas.engine.tensor.Tensor;

/**
 * A sample transform, the Java form of a torchvision transform's {@code __call__}: takes one sample's tensor and
 * returns the transformed tensor (a new one; the input is left as it was).
 * Implementations must be stateless or thread-safe: a {@link DataLoader} applies them on its background thread.
 */
@FunctionalInterface
public interface Transform {
    Tensor apply(Tensor input);

    /** This transform, then {@code next}; like {@code Compose([this, next])}. */
    default Transform andThen(Transform next) {
        return new Compose(this, next);
    }
}
