package io.deepcanvas.engine.backend;

/** Sizes of one pooling call over [planes, inH, inW] (planes = batch × channels). */
public record Pool2dGeometry(int planes, int inH, int inW, int kH, int kW, int strideH, int strideW,
                             int padH, int padW, boolean ceilMode) {

    public int outH() {
        return outSize(inH, kH, strideH, padH);
    }

    public int outW() {
        return outSize(inW, kW, strideW, padW);
    }

    private int outSize(int in, int k, int s, int p) {
        int num = in + 2 * p - k;
        // floorDiv: a window larger than the padded input must give a size <= 0, not round up to 1
        int o = (ceilMode ? Math.floorDiv(num + s - 1, s) : Math.floorDiv(num, s)) + 1;
        // PyTorch: with ceil_mode the last window must start inside the input or left padding
        if (ceilMode && (o - 1) * s >= in + p) {
            o--;
        }
        return o;
    }
}
