package io.deepcanvas.engine.cli;

import io.deepcanvas.engine.graph.ShapeReport;

/** Seam to the graph package's PyTorch code generator (wired when it lands on main). */
final class PyTorchExport {
    private PyTorchExport() {
    }

    static String script(ShapeReport report, String projectName) {
        throw CliException.runtime("PyTorch export is not in this build yet");
    }
}
