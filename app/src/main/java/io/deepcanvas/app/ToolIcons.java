package io.deepcanvas.app;

import javafx.scene.shape.SVGPath;

/** The toolbar's small line drawings, as SVG paths on a 16×16 grid: crisp at any scale, no font needed. */
final class ToolIcons {
    private ToolIcons() {
    }

    static SVGPath of(String name) {
        SVGPath p = new SVGPath();
        p.setContent(switch (name) {
            case "new" -> "M3 1h7l4 4v10H3z M10 1v4h4";
            case "open" -> "M1 4h5l2 2h7v8H1z";
            case "save" -> "M2 2h10l2 2v10H2z M5 2v4h6V2 M4 14v-5h8v5";
            case "undo" -> "M5 3L1 7l4 4 M1 7h9a4 4 0 0 1 0 8H7";
            case "redo" -> "M11 3l4 4-4 4 M15 7H6a4 4 0 0 0 0 8h3";
            case "zoomIn" -> "M7 1a6 6 0 1 1 0 12a6 6 0 1 1 0-12 M11 11l4 4 M4 7h6 M7 4v6";
            case "zoomOut" -> "M7 1a6 6 0 1 1 0 12a6 6 0 1 1 0-12 M11 11l4 4 M4 7h6";
            case "fit" -> "M1 5V1h4 M11 1h4v4 M15 11v4h-4 M5 15H1v-4 M5 6h6v4H5z";
            case "layout" -> "M1 6h4v4H1z M11 2h4v4h-4z M11 10h4v4h-4z M5 8h3 M8 4v8 M8 4h3 M8 12h3";
            case "train" -> "M4 2l10 6-10 6z";
            case "stop" -> "M3 3h10v10H3z";
            default -> throw new IllegalArgumentException("no tool icon '" + name + "'");
        });
        p.getStyleClass().add("tool-icon");
        return p;
    }
}
