package io.deepcanvas.engine.data;

import io.deepcanvas.engine.tensor.Tensor;
import java.util.List;

/** Applies transforms one after the other, like {@code torchvision.transforms.Compose}. */
public final class Compose implements Transform {
    private final Transform[] transforms;

    public Compose(Transform... transforms) {
        if (transforms == null) {
            throw new NullPointerException("Compose: transforms is null");
        }
        for (int i = 0; i < transforms.length; i++) {
            if (transforms[i] == null) {
                throw new NullPointerException("Compose: transform " + i + " is null");
            }
        }
        this.transforms = transforms.clone();
    }

    public Compose(List<? extends Transform> transforms) {
        this(transforms.toArray(new Transform[0]));
    }

    @Override
    public Tensor apply(Tensor input) {
        Tensor t = input;
        for (Transform tr : transforms) {
            t = tr.apply(t);
        }
        return t;
    }

    /** The transforms, in the order they run. */
    public List<Transform> transforms() {
        return List.of(transforms);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Compose(");
        for (int i = 0; i < transforms.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(transforms[i]);
        }
        return sb.append(')').toString();
    }
}
