package io.deepcanvas.app.model;

import static io.deepcanvas.app.model.Models.chain;
import static io.deepcanvas.app.model.Models.layer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.engine.graph.Edge;
import io.deepcanvas.engine.graph.NetworkGraph;
import io.deepcanvas.engine.graph.Problem;
import io.deepcanvas.engine.graph.Problem.Kind;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FixesTest {
    @BeforeEach
    void english() {
        I18n.setLocale(Locale.ENGLISH);
    }

    private static Problem only(EditorModel m, String nodeId, Kind kind) {
        List<Problem> ps = Models.problems(m, nodeId, kind);
        assertEquals(1, ps.size(), () -> "expected one " + kind + " at " + nodeId + ", got " + m.report().problems());
        return ps.get(0);
    }

    private static List<Fix> fixes(EditorModel m, Problem p) {
        return Fixes.forProblem(p, m.graph(), m.report());
    }

    @Test
    void aLinearFedAnImageGetsAFlattenBeforeIt() {
        EditorModel m = Models.of(chain(List.of(1, 28, 28), layer("Linear", Map.of("out_features", 10))));
        NetworkGraph before = m.graph().copy();
        double linearX = before.require("n1").x();
        List<Fix> fs = fixes(m, only(m, "n1", Kind.SHAPE_MISMATCH));
        assertEquals(1, fs.size(), fs.toString());
        assertEquals("Insert Flatten before n1", fs.get(0).description());

        m.apply(fs.get(0));

        assertTrue(m.report().isValid(), m.report().problems().toString());
        assertEquals(28 * 28 * 10 + 10, m.report().totalParameters(), "the Linear now reads 784 features");
        String flatten = m.graph().inputsOf("n1").get(0).from();
        assertEquals("Flatten", m.graph().require(flatten).type());
        assertEquals(List.of(new Edge("input", flatten, 0)), m.graph().inputsOf(flatten));
        assertEquals(linearX, m.graph().require(flatten).x(), "the Flatten takes the Linear's place");
        assertEquals(linearX + EditorModel.STEP_X, m.graph().require("n1").x(), "and the Linear moves right");
        assertEquals(1, m.commands().size());
        assertEquals(fs.get(0).description(), m.commands().undoDescriptionProperty().get());

        m.undo();
        assertTrue(Graphs.sameGraph(before, m.graph()));
    }

    @Test
    void theFlattenFixMovesEverythingAfterTheLinearToo() {
        EditorModel m = Models.of(chain(List.of(1, 8, 8), layer("Linear"), layer("ReLU"), layer("Linear")));
        double relu = m.graph().require("n2").x();
        double last = m.graph().require("n3").x();
        m.apply(fixes(m, only(m, "n1", Kind.SHAPE_MISMATCH)).get(0));
        assertEquals(relu + EditorModel.STEP_X, m.graph().require("n2").x());
        assertEquals(last + EditorModel.STEP_X, m.graph().require("n3").x());
        assertTrue(m.report().isValid(), m.report().problems().toString());
    }

    @Test
    void theFlattenFixPicksAnIdNotYetTaken() {
        NetworkGraph g = chain(List.of(1, 8, 8), layer("Linear"));
        g.add("flatten1", "Flatten", Map.of(), 0, 400);
        EditorModel m = Models.of(g);
        m.apply(fixes(m, only(m, "n1", Kind.SHAPE_MISMATCH)).get(0));
        String inserted = m.graph().inputsOf("n1").get(0).from();
        assertFalse(inserted.equals("flatten1"), "the existing flatten1 is left alone");
        assertTrue(m.graph().inputsOf("flatten1").isEmpty());
        assertEquals(0, m.graph().require("flatten1").x());
        assertEquals("Flatten", m.graph().require(inserted).type());
    }

    @Test
    void aConvKernelLargerThanItsInputCanBeReducedOrTheInputPadded() {
        EditorModel m = Models.of(chain(List.of(1, 5, 5), layer("Conv2d", Map.of("kernel_size", 7))));
        NetworkGraph before = m.graph().copy();
        List<Fix> fs = fixes(m, only(m, "n1", Kind.SHAPE_MISMATCH));
        assertEquals(List.of("Reduce the kernel of n1 to 5", "Pad the input of n1 by 1"),
                fs.stream().map(Fix::description).toList());

        m.apply(fs.get(0));
        assertTrue(m.report().compiles(), m.report().problems().toString());
        assertEquals(5, m.graph().require("n1").param("kernel_size"));
        assertArrayEquals(new int[] {8, 1, 1}, m.report().outputShape("n1").toArray(), "5×5 kernel on 5×5");
        m.undo();
        assertTrue(Graphs.sameGraph(before, m.graph()));

        m.apply(fs.get(1));
        assertTrue(m.report().compiles(), m.report().problems().toString());
        assertEquals(1, m.graph().require("n1").param("padding"));
        assertArrayEquals(new int[] {8, 1, 1}, m.report().outputShape("n1").toArray(), "7×7 kernel on 7×7 padded");
        m.undo();
        assertTrue(Graphs.sameGraph(before, m.graph()));
    }

    @Test
    void padFixRoundsUpForAnEvenOverhang() {
        // kernel 8 on 5×5: one pixel each side gives 7 < 8, so two are needed
        EditorModel m = Models.of(chain(List.of(1, 5, 5), layer("Conv2d", Map.of("kernel_size", 8))));
        List<Fix> fs = fixes(m, only(m, "n1", Kind.SHAPE_MISMATCH));
        Fix pad = fs.get(fs.size() - 1);
        assertEquals("Pad the input of n1 by 2", pad.description());
        m.apply(pad);
        assertTrue(m.report().compiles(), m.report().problems().toString());
    }

    @Test
    void aPoolWindowLargerThanItsInputIsOnlyReduced() {
        EditorModel m = Models.of(chain(List.of(1, 5, 5), layer("MaxPool2d", Map.of("kernel_size", 7))));
        List<Fix> fs = fixes(m, only(m, "n1", Kind.SHAPE_MISMATCH));
        assertEquals(List.of("Reduce the kernel of n1 to 5"), fs.stream().map(Fix::description).toList(),
                "pooling padding may be at most half the kernel, so padding is no remedy");
        m.apply(fs.get(0));
        assertTrue(m.report().compiles(), m.report().problems().toString());
        assertArrayEquals(new int[] {1, 1, 1}, m.report().outputShape("n1").toArray());
    }

    @Test
    void aKernelThatFitsGetsNoKernelFix() {
        // groups that do not divide the channels: a shape problem, but not one a kernel change fixes
        EditorModel m = Models.of(chain(List.of(3, 8, 8), layer("Conv2d", Map.of("groups", 2))));
        Problem p = only(m, "n1", Kind.SHAPE_MISMATCH);
        assertTrue(fixes(m, p).isEmpty(), fixes(m, p).toString());
    }

    @Test
    void aLayerNotConnectedToTheInputCanBeDeleted() {
        NetworkGraph g = chain(List.of(1, 28, 28), layer("Flatten"), layer("Linear"));
        g.add("loose", "Sigmoid", Map.of(), 300, 500);
        EditorModel m = Models.of(g);
        NetworkGraph before = m.graph().copy();
        List<Fix> fs = fixes(m, only(m, "loose", Kind.NOT_CONNECTED));
        assertEquals(List.of("Delete loose"), fs.stream().map(Fix::description).toList());
        m.apply(fs.get(0));
        assertFalse(m.graph().contains("loose"));
        assertTrue(m.report().isValid(), m.report().problems().toString());
        m.undo();
        assertTrue(Graphs.sameGraph(before, m.graph()));
    }

    @Test
    void aDeadEndCanBeDeleted() {
        // the side branch comes before the chain's end, so the Linear stays the network's output
        NetworkGraph g = new NetworkGraph();
        g.add("input", "Input", Map.of("shape", List.of(1, 28, 28)), 40, 200);
        g.add("side", "ReLU", Map.of(), 220, 330);
        g.add("flat", "Flatten", Map.of(), 220, 200);
        g.add("fc", "Linear", Map.of(), 400, 200);
        g.connect("input", "side");
        g.connect("input", "flat");
        g.connect("flat", "fc");
        EditorModel m = Models.of(g);
        assertEquals("fc", m.report().outputId());
        List<Fix> fs = fixes(m, only(m, "side", Kind.DEAD_END));
        assertEquals(List.of("Delete side"), fs.stream().map(Fix::description).toList());
        m.apply(fs.get(0));
        assertFalse(m.graph().contains("side"));
        assertTrue(m.report().isValid(), m.report().problems().toString());
        m.undo();
        assertTrue(m.graph().contains("side"));
    }

    @Test
    void problemsWithoutAMechanicalRemedyOfferNothing() {
        EditorModel noInput = Models.of(new NetworkGraph());
        noInput.addNode("ReLU", 0, 0);
        Problem graphLevel = noInput.report().problems().stream().filter(p -> p.kind() == Kind.NO_INPUT_NODE)
                .findFirst().orElseThrow();
        assertTrue(fixes(noInput, graphLevel).isEmpty(), "a problem of the whole graph names no node to fix");

        EditorModel bad = Models.of(chain(List.of(1, 28, 28), layer("Conv2d", Map.of("kernel_size", 0))));
        Problem invalid = only(bad, "n1", Kind.INVALID_PARAMETER);
        assertTrue(fixes(bad, invalid).isEmpty());
    }

    @Test
    void aProblemAboutANodeNoLongerInTheGraphOffersNothing() {
        EditorModel m = Models.of(chain(List.of(1, 5, 5), layer("Conv2d", Map.of("kernel_size", 7))));
        Problem p = only(m, "n1", Kind.SHAPE_MISMATCH);
        m.select("n1");
        m.deleteSelection();
        assertTrue(Fixes.forProblem(p, m.graph(), m.report()).isEmpty());
    }

    @Test
    void aLastLinearWithTheWrongOutputCountGetsTenOutputsInOneUndoableCommand() {
        EditorModel m = Models.of(chain(List.of(1, 28, 28), layer("Flatten"), layer("Linear", Map.of("out_features",
                7)), layer("ReLU")));
        NetworkGraph before = m.graph().copy();
        // the problem sits on the last node; the fix changes the Linear before it
        List<Fix> fs = fixes(m, only(m, "n3", Kind.CLASS_COUNT));
        assertEquals(List.of("Set the outputs of n2 to 10, one per class"), fs.stream().map(Fix::description)
                .toList());

        m.apply(fs.get(0));
        assertTrue(m.report().isValid(), m.report().problems().toString());
        assertEquals(10, m.graph().require("n2").param("out_features"));
        assertEquals(1, m.commands().size(), "one command");
        m.undo();
        assertTrue(Graphs.sameGraph(before, m.graph()));
    }

    @Test
    void anImageShapedOutputHasNoMechanicalClassFix() {
        EditorModel m = Models.of(chain(List.of(1, 8, 8), layer("Conv2d", Map.of("out_channels", 4))));
        Problem p = only(m, "n1", Kind.CLASS_COUNT);
        assertTrue(p.message().endsWith("end the network with Flatten and a Linear layer with out_features 10"),
                p.message());
        assertTrue(fixes(m, p).isEmpty(), "no Linear to change: the message says what to add");
    }

    @Test
    void theClassFixIsTranslated() {
        EditorModel m = Models.of(chain(List.of(1, 28, 28), layer("Flatten"), layer("Linear", Map.of("out_features",
                3))));
        Problem p = only(m, "n2", Kind.CLASS_COUNT);
        I18n.setLocale(Locale.forLanguageTag("pt-BR"));
        assertEquals("Definir as saídas de n2 como 10, uma por classe", fixes(m, p).get(0).description());
        I18n.setLocale(Locale.forLanguageTag("es"));
        assertEquals("Definir las salidas de n2 en 10, una por clase", fixes(m, p).get(0).description());
        I18n.setLocale(Locale.ENGLISH);
    }
}
