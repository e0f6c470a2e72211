package io.deepcanvas.engine.backend;

/**
 * Sizes of one conv2d call: input [n, inC, inH, inW], weight [outC, inC/groups, kH, kW], output [n, outC, outH, outW].
 */
public record Conv2dGeometry(int n, int inC, int inH, int inW, int outC, int kH, int kW,
                             int strideH, int strideW, int padH, int padW, int dilH, int dilW, int groups) {

    public int outH() {
        // floorDiv: a kernel larger than the padded input must give a size <= 0, not round up to 1
        return Math.floorDiv(inH + 2 * padH - dilH * (kH - 1) - 1, strideH) + 1;
    }

    public int outW() {
        return Math.floorDiv(inW + 2 * padW - dilW * (kW - 1) - 1, strideW) + 1;
    }

    /** Input channels seen by each group. */
    public int groupInC() {
        return inC / groups;
    }

    /** Output channels produced by each group. */
    public int groupOutC() {
        return outC / groups;
    }

    /** Rows of the unfolded input of one group: (inC/groups)·kH·kW. */
    public int patchSize() {
        return groupInC() * kH * kW;
    }

    /** Multiply-accumulates of the forward pass. */
    public long macs() {
        return (long) n * outC * outH() * outW() * patchSize();
    }
}
