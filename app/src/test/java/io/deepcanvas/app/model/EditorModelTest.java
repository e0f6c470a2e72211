package io.deepcanvas.app.model;

import static io.deepcanvas.app.model.EditorModel.ORIGIN_X;
import static io.deepcanvas.app.model.EditorModel.ORIGIN_Y;
import static io.deepcanvas.app.model.EditorModel.STEP_X;
import static io.deepcanvas.app.model.Models.x;
import static io.deepcanvas.app.model.Models.y;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.engine.graph.Edge;
import io.deepcanvas.engine.graph.NetworkGraph;
import io.deepcanvas.engine.graph.Node;
import io.deepcanvas.engine.io.Project;
import io.deepcanvas.engine.io.ProjectFile;
import io.deepcanvas.engine.io.TrainingSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class EditorModelTest {
    private EditorModel m;

    @BeforeEach
    void setUp() {
        I18n.setLocale(Locale.ENGLISH);
        m = new EditorModel();
        m.newProject();
    }

    private EditorModel lenet() {
        return Models.loaded("lenet5.json");
    }

    /** input → conv1 → relu1 built with append, as a user double-clicking the palette would. */
    private void inputConvRelu() {
        m.addNode("Input", ORIGIN_X, ORIGIN_Y);
        m.append("Conv2d");
        m.append("ReLU");
    }

    @Nested
    class Adding {
        @Test
        void idsFollowTheTutorialsNamingAndCountUp() {
            assertEquals("conv1", m.addNode("Conv2d", 0, 0));
            assertEquals("conv2", m.addNode("Conv2d", 0, 0));
            assertEquals("pool1", m.addNode("MaxPool2d", 0, 0));
            assertEquals("pool2", m.addNode("AvgPool2d", 0, 0), "both pools share the 'pool' names");
            assertEquals("fc1", m.addNode("Linear", 0, 0));
            assertEquals("bn1", m.addNode("BatchNorm2d", 0, 0));
            assertEquals("relu1", m.addNode("ReLU", 0, 0));
        }

        @Test
        void theFirstInputIsCalledInputWithoutANumber() {
            assertEquals("input", m.addNode("Input", 0, 0));
            assertEquals("input1", m.addNode("Input", 0, 0), "a second Input needs a distinct id");
        }

        @Test
        void idsReuseTheLowestFreeNumberAfterADelete() {
            m.addNode("Conv2d", 0, 0);
            m.addNode("Conv2d", 0, 0);
            m.select("conv1");
            m.deleteSelection();
            assertEquals("conv1", m.addNode("Conv2d", 0, 0));
        }

        @Test
        void addNodePlacesTheLayerWithItsDefaultsAndSelectsIt() {
            String id = m.addNode("Conv2d", 120, 340);
            Node n = m.graph().require(id);
            assertEquals(120, n.x());
            assertEquals(340, n.y());
            assertEquals(8, n.param("out_channels"), "Conv2d's schema default");
            assertEquals(Set.of(id), m.selection());
            assertEquals(id, m.selectedNode().id());
            assertEquals(1, m.commands().size());
            assertEquals("Add Conv2d", m.commands().undoDescriptionProperty().get());
        }

        @Test
        void appendAfterTheSelectionWiresItOneStepRight() {
            String in = m.addNode("Input", 100, 50);
            String conv = m.append("Conv2d");
            assertEquals(List.of(new Edge(in, conv, 0)), m.graph().edges());
            assertEquals(100 + STEP_X, x(m, conv));
            assertEquals(50, y(m, conv));
            assertEquals(Set.of(conv), m.selection(), "the appended layer is selected so appends chain");
            String relu = m.append("ReLU");
            assertEquals(new Edge(conv, relu, 0), m.graph().edges().get(1));
            assertEquals(100 + 2 * STEP_X, x(m, relu));
            assertTrue(m.report().compiles(), m.report().problems().toString()); // shapes fine; no 10 classes yet
        }

        @Test
        void appendInsideAChainInsertsAndShiftsEverythingDownstreamRight() {
            inputConvRelu();
            m.append("Flatten");
            m.append("Linear"); // input → conv1 → relu1 → flatten1 → fc1
            Map<String, Double> before = new LinkedHashMap<>();
            m.graph().nodes().forEach(n -> before.put(n.id(), n.x()));

            int depth = m.commands().size();
            m.select("conv1");
            String pool = m.append("MaxPool2d");

            assertEquals(before.get("conv1") + STEP_X, x(m, pool), "the new layer takes the next slot");
            for (String downstream : List.of("relu1", "flatten1", "fc1")) {
                assertEquals(before.get(downstream) + STEP_X, x(m, downstream), downstream + " moves one step right");
            }
            assertEquals(before.get("input"), x(m, "input"));
            assertEquals(before.get("conv1"), x(m, "conv1"));
            Set<Edge> edges = new HashSet<>(m.graph().edges());
            assertTrue(edges.contains(new Edge("conv1", pool, 0)));
            assertTrue(edges.contains(new Edge(pool, "relu1", 0)));
            assertFalse(edges.contains(new Edge("conv1", "relu1", 0)), "the old link is replaced, not kept");
            assertEquals(m.graph().nodes().size() - 1, edges.size(), "still a chain");
            for (Node n : m.graph().nodes()) {
                assertTrue(m.graph().outputsOf(n.id()).size() <= 1, n + " feeds one layer at most");
            }
            assertTrue(m.report().isValid(), m.report().problems().toString());
            assertEquals(depth + 1, m.commands().size(), "the insertion is one command");
        }

        @Test
        void appendWithNothingSelectedAnchorsOnTheNetworksOutput() {
            EditorModel lenet = lenet();
            lenet.select(null);
            String out = lenet.report().outputId();
            assertEquals("fc3", out);
            String soft = lenet.append("Softmax");
            assertTrue(lenet.graph().edges().contains(new Edge("fc3", soft, 0)));
            assertEquals(x(lenet, "fc3") + STEP_X, x(lenet, soft));
            assertEquals(soft, lenet.report().outputId());
        }

        @Test
        void appendIntoAnEmptyProjectStartsAtTheOrigin() {
            String id = m.append("Input");
            assertEquals(ORIGIN_X, x(m, id));
            assertEquals(ORIGIN_Y, y(m, id));
            assertTrue(m.graph().edges().isEmpty());
        }

        @Test
        void appendingALayerThatTakesNoInputsDoesNotWireIt() {
            m.addNode("Input", 0, 0);
            m.append("ReLU");
            m.select("input");
            String second = m.append("Input");
            assertTrue(m.graph().inputsOf(second).isEmpty());
            assertEquals(List.of(new Edge("input", "relu1", 0)), m.graph().edges(), "the existing link is untouched");
        }

        @Test
        void undoOfAddRemovesTheLayer() {
            m.addNode("Input", 0, 0);
            NetworkGraph before = m.graph().copy();
            m.append("Conv2d");
            m.undo();
            assertTrue(Graphs.sameGraph(before, m.graph()));
            assertTrue(m.selection().isEmpty(), "a selection of a node that no longer exists is dropped");
        }
    }

    @Nested
    class Deleting {
        @Test
        void undoOfDeleteRestoresNodeAndItsEdgesExactly() {
            EditorModel lenet = lenet();
            NetworkGraph original = lenet.graph().copy();
            lenet.select("conv2");
            lenet.deleteSelection();

            assertNull(lenet.graph().node("conv2"));
            assertTrue(lenet.graph().edges().stream().noneMatch(e -> e.from().equals("conv2")
                    || e.to().equals("conv2")));
            assertEquals(original.edges().size() - 2, lenet.graph().edges().size());
            assertTrue(lenet.selection().isEmpty());
            assertEquals("Delete conv2", lenet.commands().undoDescriptionProperty().get());

            lenet.undo();
            assertTrue(Graphs.sameGraph(original, lenet.graph()),
                    "same nodes, positions, params and the same edge order: " + Models.describe(lenet.graph()));
            assertEquals(61_706, lenet.report().totalParameters());
            lenet.redo();
            assertNull(lenet.graph().node("conv2"));
        }

        @Test
        void deletingSeveralNodesIsOneCommand() {
            EditorModel lenet = lenet();
            NetworkGraph original = lenet.graph().copy();
            lenet.selection().addAll(List.of("relu1", "pool1", "relu3"));
            lenet.deleteSelection();
            assertEquals(original.nodes().size() - 3, lenet.graph().nodes().size());
            assertEquals(1, lenet.commands().size());
            assertEquals("Delete 3 layers", lenet.commands().undoDescriptionProperty().get());
            lenet.undo();
            assertTrue(Graphs.sameGraph(original, lenet.graph()));
        }

        @Test
        void deletingASelectedEdgeRemovesOnlyThatEdge() {
            EditorModel lenet = lenet();
            Edge e = new Edge("pool2", "flatten", 0);
            lenet.selectEdge(e);
            lenet.deleteSelection();
            assertFalse(lenet.graph().edges().contains(e));
            assertEquals(13, lenet.graph().nodes().size());
            assertNull(lenet.selectedEdgeProperty().get());
            lenet.undo();
            assertEquals(e, lenet.graph().edges().get(6), "restored in its place");
        }

        @Test
        void deleteWithNothingSelectedRecordsNothing() {
            EditorModel lenet = lenet();
            lenet.select(null);
            lenet.deleteSelection();
            assertEquals(0, lenet.commands().size());
            assertEquals(13, lenet.graph().nodes().size());
        }
    }

    @Nested
    class Connecting {
        private String r1;
        private String r2;
        private String r3;

        @BeforeEach
        void threeRelus() {
            r1 = m.addNode("ReLU", 0, 0);
            r2 = m.addNode("ReLU", 200, 0);
            r3 = m.addNode("ReLU", 400, 0);
        }

        @Test
        void connectWiresTheFirstFreePortAsOneCommand() {
            int before = m.commands().size();
            assertNull(m.connect(r1, r2, -1));
            assertEquals(List.of(new Edge(r1, r2, 0)), m.graph().edges());
            assertEquals(before + 1, m.commands().size());
            assertEquals("Connect relu1 → relu2", m.commands().undoDescriptionProperty().get());
            m.undo();
            assertTrue(m.graph().edges().isEmpty());
        }

        @Test
        void aLayerCannotFeedItself() {
            NetworkGraph before = m.graph().copy();
            int depth = m.commands().size();
            assertEquals(I18n.text("connect.self"), m.connect(r1, r1, -1));
            assertTrue(Graphs.sameGraph(before, m.graph()));
            assertEquals(depth, m.commands().size());
        }

        @Test
        void closingACycleIsRefusedWithAReasonAndChangesNothing() {
            m.connect(r1, r2, -1);
            m.connect(r2, r3, -1);
            NetworkGraph before = m.graph().copy();
            int depth = m.commands().size();

            String why = m.connect(r3, r1, -1);

            assertNotNull(why, "C → A would close A → B → C → A");
            assertEquals(I18n.text("connect.cycle", "relu3", "relu1"), why);
            assertTrue(Graphs.sameGraph(before, m.graph()));
            assertEquals(depth, m.commands().size());
        }

        @Test
        void aTakenPortIsRefused() {
            m.connect(r1, r2, -1);
            NetworkGraph before = m.graph().copy();
            String explicit = m.connect(r3, r2, 0);
            String firstFree = m.connect(r3, r2, -1);
            assertEquals(I18n.text("connect.portTaken", "relu2"), explicit);
            assertEquals(I18n.text("connect.portTaken", "relu2"), firstFree, "ReLU has one input and it is taken");
            assertEquals(-1, m.freePort(r2));
            assertTrue(Graphs.sameGraph(before, m.graph()));
        }

        @Test
        void aPortTheLayerDoesNotHaveIsRefused() {
            assertNotNull(m.connect(r1, r2, 1), "ReLU has only port 0");
            assertTrue(m.graph().edges().isEmpty());
        }

        @Test
        void anInputTakesNoInputs() {
            String in = m.addNode("Input", 0, 0);
            String why = m.connect(r1, in, -1);
            assertEquals(I18n.text("connect.noInputs", "input"), why);
            assertTrue(m.graph().inputsOf(in).isEmpty());
        }

        @Test
        void mergesTakeOnePortAfterAnother() {
            String add = m.addNode("Add", 600, 0);
            assertEquals(0, m.freePort(add));
            assertNull(m.connect(r1, add, -1));
            assertEquals(1, m.freePort(add));
            assertNull(m.connect(r2, add, -1));
            assertEquals(2, m.freePort(add), "Add takes any number of inputs");
            assertNull(m.connect(r3, add, -1));
            assertEquals(List.of(new Edge(r1, add, 0), new Edge(r2, add, 1), new Edge(r3, add, 2)),
                    m.graph().inputsOf(add));
            String concat = m.addNode("Concat", 600, 200);
            assertNull(m.connect(r1, concat, -1));
            assertNull(m.connect(r2, concat, -1));
            assertEquals(List.of(0, 1), m.graph().inputsOf(concat).stream().map(Edge::toPort).toList());
        }

        @Test
        void freePortFillsAGapLeftByADisconnect() {
            String add = m.addNode("Add", 600, 0);
            m.connect(r1, add, -1);
            m.connect(r2, add, -1);
            m.disconnect(new Edge(r1, add, 0));
            assertEquals(0, m.freePort(add));
        }

        @Test
        void disconnectRemovesTheEdgeAndUndoPutsItBack() {
            m.connect(r1, r2, -1);
            m.connect(r2, r3, -1);
            NetworkGraph wired = m.graph().copy();
            Edge e = new Edge(r1, r2, 0);
            m.selectEdge(e);
            m.disconnect(e);
            assertEquals(List.of(new Edge(r2, r3, 0)), m.graph().edges());
            assertNull(m.selectedEdgeProperty().get(), "the removed edge is no longer selected");
            assertEquals("Disconnect", m.commands().undoDescriptionProperty().get());
            m.undo();
            assertTrue(Graphs.sameGraph(wired, m.graph()), "edge order restored too");
        }

        @Test
        void disconnectingAnEdgeThatIsNotThereRecordsNothing() {
            int depth = m.commands().size();
            m.disconnect(new Edge(r1, r2, 0));
            assertEquals(depth, m.commands().size());
        }
    }

    @Nested
    class Inserting {
        @Test
        void insertOnEdgeSplicesANewLayerIntoTheLink() {
            EditorModel lenet = lenet();
            NetworkGraph original = lenet.graph().copy();
            Edge e = new Edge("conv1", "relu1", 0);
            String bn = lenet.insertOnEdge("BatchNorm2d", e, 300, 260);

            assertEquals("bn1", bn);
            assertFalse(lenet.graph().edges().contains(e));
            assertTrue(lenet.graph().edges().contains(new Edge("conv1", bn, 0)));
            assertTrue(lenet.graph().edges().contains(new Edge(bn, "relu1", 0)));
            assertEquals(300, x(lenet, bn));
            assertEquals(260, y(lenet, bn));
            assertEquals(Set.of(bn), lenet.selection());
            assertTrue(lenet.report().isValid(), lenet.report().problems().toString());
            // BatchNorm2d learns a weight and a bias per channel: conv1 has 6 channels
            assertEquals(61_706 + 2 * 6, lenet.report().totalParameters());
            assertEquals(1, lenet.commands().size());
            lenet.undo();
            assertTrue(Graphs.sameGraph(original, lenet.graph()));
        }

        @Test
        void insertOnEdgeKeepsTheTargetPort() {
            EditorModel res = Models.loaded("resnet-mini.json");
            Edge skip = new Edge("relu1", "add", 1);
            String d = res.insertOnEdge("Dropout", skip, 0, 0);
            assertTrue(res.graph().edges().contains(new Edge(d, "add", 1)));
            assertTrue(res.graph().edges().contains(new Edge("relu1", d, 0)));
            assertTrue(res.report().isValid(), res.report().problems().toString());
        }

        @Test
        void insertExistingMovesAnUnwiredLayerOntoTheEdge() {
            EditorModel lenet = lenet();
            String drop = lenet.addNode("Dropout", 1500, 400);
            int depth = lenet.commands().size();
            Edge e = new Edge("relu3", "fc2", 0);
            assertTrue(lenet.insertExisting(drop, e));
            assertTrue(lenet.graph().edges().contains(new Edge("relu3", drop, 0)));
            assertTrue(lenet.graph().edges().contains(new Edge(drop, "fc2", 0)));
            assertFalse(lenet.graph().edges().contains(e));
            assertEquals(depth + 1, lenet.commands().size());
            assertTrue(lenet.report().isValid(), lenet.report().problems().toString());
            lenet.undo();
            assertTrue(lenet.graph().edges().contains(e));
            assertTrue(lenet.graph().inputsOf(drop).isEmpty());
        }

        @Test
        void insertExistingRefusesAWiredLayer() {
            EditorModel lenet = lenet();
            NetworkGraph before = lenet.graph().copy();
            assertFalse(lenet.insertExisting("relu2", new Edge("relu3", "fc2", 0)));
            assertFalse(lenet.insertExisting("relu3", new Edge("relu3", "fc2", 0)));
            assertTrue(Graphs.sameGraph(before, lenet.graph()));
            assertEquals(0, lenet.commands().size());
        }

        @Test
        void insertExistingRefusesAnInputBecauseItTakesNoInputs() {
            // connect() refuses an edge into an Input; dropping a loose Input onto a link must not make one either
            EditorModel lenet = lenet();
            String in2 = lenet.addNode("Input", 1500, 400);
            NetworkGraph before = lenet.graph().copy();
            int depth = lenet.commands().size();
            boolean done = lenet.insertExisting(in2, new Edge("relu3", "fc2", 0));
            assertFalse(done, "an Input spliced into a link would get an input edge");
            assertTrue(Graphs.sameGraph(before, lenet.graph()));
            assertEquals(depth, lenet.commands().size());
        }

        @Test
        void insertOnEdgeOfAnInputDoesNotWireIntoIt() {
            // the canvas calls insertOnEdge for any palette type dropped on a link, the Input included
            EditorModel lenet = lenet();
            Edge e = new Edge("relu3", "fc2", 0);
            String in2 = lenet.insertOnEdge("Input", e, 1500, 400);
            assertTrue(lenet.graph().inputsOf(in2).isEmpty(), "an Input takes no inputs: "
                    + lenet.graph().edges());
            assertTrue(lenet.graph().edges().contains(e), "the link stays as it was");
        }
    }

    @Nested
    class Parameters {
        @Test
        void setParamUndoAndRedo() {
            EditorModel lenet = lenet();
            lenet.setParam("conv1", "out_channels", 12);
            assertEquals(12, lenet.graph().require("conv1").param("out_channels"));
            assertEquals("Set out_channels of conv1", lenet.commands().undoDescriptionProperty().get());
            lenet.undo();
            assertEquals(6, lenet.graph().require("conv1").param("out_channels"));
            assertEquals("Set out_channels of conv1", lenet.commands().redoDescriptionProperty().get());
            lenet.redo();
            assertEquals(12, lenet.graph().require("conv1").param("out_channels"));
        }

        @Test
        void setParamToNullResetsToTheDefault() {
            EditorModel lenet = lenet();
            lenet.setParam("conv1", "padding", null);
            assertFalse(lenet.graph().require("conv1").params().containsKey("padding"));
            lenet.undo();
            assertEquals(0, lenet.graph().require("conv1").param("padding"));
        }

        @Test
        void settingTheSameValueRecordsNothing() {
            EditorModel lenet = lenet();
            lenet.setParam("conv1", "out_channels", 6);
            assertEquals(0, lenet.commands().size());
            assertFalse(lenet.isDirty());
        }

        @Test
        void aValueTheNodeCannotHoldLeavesTheGraphAsItWas() {
            EditorModel lenet = lenet();
            NetworkGraph before = lenet.graph().copy();
            assertThrows(IllegalArgumentException.class,
                    () -> lenet.setParam("conv1", "kernel_size", List.of(2.5, 3)));
            assertTrue(Graphs.sameGraph(before, lenet.graph()));
            assertEquals(0, lenet.commands().size());
        }

        @Test
        void changingOutChannelsUpdatesTheReport() {
            EditorModel lenet = lenet();
            assertEquals(61_706, lenet.report().totalParameters(), "LeNet-5's published parameter count");
            lenet.setParam("conv2", "out_channels", 8);
            // conv2: 16·6·5·5+16 = 2,416 → 8·6·5·5+8 = 1,208; fc1 reads 16·5·5 = 400 → 8·5·5 = 200 features:
            // 400·120+120 = 48,120 → 200·120+120 = 24,120
            assertEquals(61_706 - (2_416 - 1_208) - (48_120 - 24_120), lenet.report().totalParameters());
            assertArrayEquals(new int[] {8, 5, 5}, lenet.report().outputShape("pool2").toArray(),
                    "pool2 carries 8 channels");
            lenet.undo();
            assertEquals(61_706, lenet.report().totalParameters());
        }

        @Test
        void setLabelUndoAndRedo() {
            EditorModel lenet = lenet();
            lenet.setLabel("conv1", "features");
            assertEquals("features", lenet.graph().require("conv1").label());
            assertEquals("conv1", lenet.graph().require("conv1").id(), "the id stays");
            assertEquals("Rename conv1 to features", lenet.commands().undoDescriptionProperty().get());
            lenet.undo();
            assertEquals("conv1", lenet.graph().require("conv1").label());
            lenet.redo();
            assertEquals("features", lenet.graph().require("conv1").label());
        }

        @Test
        void setTrainingUndoAndRedo() {
            EditorModel lenet = lenet();
            TrainingSettings original = lenet.training();
            TrainingSettings more = original.withEpochs(5).withBatchSize(32);
            lenet.setTraining(more);
            assertEquals(more, lenet.training());
            assertTrue(lenet.isDirty());
            lenet.undo();
            assertEquals(original, lenet.training());
            assertFalse(lenet.isDirty());
            lenet.redo();
            assertEquals(more, lenet.training());
            assertEquals(more, lenet.toProject().training(), "saved with the project");
        }
    }

    @Nested
    class Moving {
        @Test
        void aDragIsOneCommandAndUndoReturnsToTheOriginalPositions() {
            EditorModel lenet = lenet();
            NetworkGraph original = lenet.graph().copy();
            List<String> ids = List.of("conv1", "relu1");
            for (int i = 0; i < 5; i++) {
                lenet.previewMove(ids, 10, -4);
            }
            assertEquals(0, lenet.commands().size(), "nothing is recorded while dragging");
            lenet.finishMove();

            assertEquals(1, lenet.commands().size());
            assertEquals("Move", lenet.commands().undoDescriptionProperty().get());
            assertEquals(original.require("conv1").x() + 50, x(lenet, "conv1"));
            assertEquals(original.require("relu1").y() - 20, y(lenet, "relu1"));
            assertEquals(original.require("pool1").x(), x(lenet, "pool1"), "only the dragged nodes move");
            NetworkGraph moved = lenet.graph().copy();

            lenet.undo();
            assertTrue(Graphs.sameGraph(original, lenet.graph()));
            lenet.redo();
            assertTrue(Graphs.sameGraph(moved, lenet.graph()));
        }

        @Test
        void aDragThatEndsWhereItStartedRecordsNothing() {
            EditorModel lenet = lenet();
            lenet.previewMove(List.of("conv1"), 0, 0);
            lenet.finishMove();
            lenet.previewMove(List.of("conv1"), 30, 10);
            lenet.previewMove(List.of("conv1"), -30, -10);
            lenet.finishMove();
            assertEquals(0, lenet.commands().size());
            assertFalse(lenet.isDirty());
        }

        @Test
        void previewMoveTicksTheRevisionSoTheCanvasRepaints() {
            EditorModel lenet = lenet();
            long r = lenet.revisionProperty().get();
            lenet.previewMove(List.of("conv1"), 1, 1);
            assertTrue(lenet.revisionProperty().get() > r);
        }

        @Test
        void moveToIsOneCommand() {
            EditorModel lenet = lenet();
            NetworkGraph original = lenet.graph().copy();
            Map<String, double[]> to = new LinkedHashMap<>();
            to.put("conv1", new double[] {1, 2});
            to.put("fc3", new double[] {3, 4});
            lenet.moveTo(to);
            assertEquals(1, lenet.commands().size());
            assertEquals(1, x(lenet, "conv1"));
            assertEquals(2, y(lenet, "conv1"));
            assertEquals(3, x(lenet, "fc3"));
            assertEquals(4, y(lenet, "fc3"));
            lenet.undo();
            assertTrue(Graphs.sameGraph(original, lenet.graph()));
        }

        @Test
        void autoLayoutIsOneCommandAndUndoable() {
            inputConvRelu();
            Map<String, double[]> scatter = new LinkedHashMap<>();
            scatter.put("input", new double[] {500, 20});
            scatter.put("conv1", new double[] {-90, 700});
            scatter.put("relu1", new double[] {33, 33});
            m.moveTo(scatter);
            NetworkGraph scattered = m.graph().copy();
            int depth = m.commands().size();

            m.autoLayout();

            assertEquals(depth + 1, m.commands().size());
            assertEquals("Auto-layout", m.commands().undoDescriptionProperty().get());
            assertEquals(ORIGIN_X, x(m, "input"));
            assertEquals(ORIGIN_X + STEP_X, x(m, "conv1"));
            assertEquals(ORIGIN_X + 2 * STEP_X, x(m, "relu1"));
            for (String id : List.of("input", "conv1", "relu1")) {
                assertEquals(ORIGIN_Y, y(m, id), "a chain lies on one row");
            }
            m.undo();
            assertTrue(Graphs.sameGraph(scattered, m.graph()));
        }

        @Test
        void autoLayoutOfAnAlreadyLaidOutNetworkRecordsNothing() {
            EditorModel lenet = lenet(); // the layout files are written on the auto-layout grid
            lenet.autoLayout();
            assertEquals(0, lenet.commands().size());
        }
    }

    @Nested
    class Clipboard {
        @Test
        void pasteOfACopyGivesFreshIdsAndKeepsTheInternalEdges() {
            EditorModel lenet = lenet();
            Set<String> oldIds = new HashSet<>();
            lenet.graph().nodes().forEach(n -> oldIds.add(n.id()));
            int oldEdges = lenet.graph().edges().size();
            lenet.selection().addAll(List.of("conv1", "relu1"));
            String clip = lenet.copySelection();
            assertNotNull(clip);

            assertTrue(lenet.paste(clip, 40, 40));

            List<String> fresh = new ArrayList<>();
            lenet.graph().nodes().forEach(n -> {
                if (!oldIds.contains(n.id())) {
                    fresh.add(n.id());
                }
            });
            assertEquals(2, fresh.size());
            Node conv = lenet.graph().require(fresh.get(0));
            Node relu = lenet.graph().require(fresh.get(1));
            assertEquals("Conv2d", conv.type());
            assertEquals("ReLU", relu.type());
            assertTrue(conv.id().startsWith("conv") && relu.id().startsWith("relu"), fresh.toString());
            assertEquals(lenet.graph().require("conv1").params(), conv.params());
            assertEquals(x(lenet, "conv1") + 40, conv.x());
            assertEquals(y(lenet, "relu1") + 40, relu.y());
            assertEquals(oldEdges + 1, lenet.graph().edges().size(), "only the edge between the copies comes along");
            assertTrue(lenet.graph().edges().contains(new Edge(conv.id(), relu.id(), 0)));
            assertEquals(new HashSet<>(fresh), lenet.selection(), "the pasted layers are selected");
            assertEquals(1, lenet.commands().size());
            assertEquals("Paste 2 layers", lenet.commands().undoDescriptionProperty().get());
            lenet.undo();
            assertEquals(oldIds.size(), lenet.graph().nodes().size());
        }

        @Test
        void pasteIntoAnotherProjectKeepsIdsThatAreFree() {
            EditorModel lenet = lenet();
            lenet.selection().addAll(List.of("fc1", "relu3", "fc2"));
            String clip = lenet.copySelection();
            m.paste(clip, 0, 0);
            assertEquals(List.of("fc1", "relu3", "fc2"), m.graph().nodes().stream().map(Node::id).toList());
            assertEquals(List.of(new Edge("fc1", "relu3", 0), new Edge("relu3", "fc2", 0)), m.graph().edges());
        }

        @Test
        void pastingTwiceGivesTwoDistinctCopies() {
            EditorModel lenet = lenet();
            lenet.selection().addAll(List.of("conv1", "relu1", "pool1"));
            String clip = lenet.copySelection();
            lenet.paste(clip, 40, 40);
            lenet.paste(clip, 80, 80);
            assertEquals(13 + 6, lenet.graph().nodes().size());
            assertEquals(12 + 4, lenet.graph().edges().size());
            Set<String> labels = new HashSet<>();
            lenet.graph().nodes().forEach(n -> labels.add(n.label()));
            assertEquals(19, labels.size(), "every layer keeps a distinct name for its parameters");
        }

        @Test
        void cutAndPasteKeepsACustomName() {
            EditorModel lenet = lenet();
            lenet.setLabel("conv1", "features");
            lenet.select("conv1");
            String clip = lenet.copySelection();
            lenet.deleteSelection(); // Edit ▸ Cut is copy, then delete
            assertTrue(lenet.paste(clip, 0, 0));
            assertEquals("conv1", lenet.selectedNode().id(), "the id is free again, so it is kept");
            assertEquals("features", lenet.selectedNode().label(), "the name the user gave it comes back too");
        }

        @Test
        void aPastedCopyNeverDuplicatesAName() {
            EditorModel lenet = lenet();
            lenet.setLabel("conv1", "features");
            lenet.select("conv1");
            lenet.duplicate();
            Node copy = lenet.selectedNode();
            assertNotEquals("features", copy.label(), "two layers named 'features' would clash in the code");
            assertTrue(Models.problems(lenet, copy.id(), io.deepcanvas.engine.graph.Problem.Kind.INVALID_LABEL)
                    .isEmpty());
        }

        @Test
        void duplicatePastesTheSelectionBesideItself() {
            EditorModel lenet = lenet();
            lenet.select("conv2");
            lenet.duplicate();
            assertEquals(14, lenet.graph().nodes().size());
            Node copy = lenet.selectedNode();
            assertNotNull(copy);
            assertNotEquals("conv2", copy.id());
            assertEquals(16, copy.param("out_channels"));
            assertEquals(x(lenet, "conv2") + 40, copy.x());
            assertEquals(y(lenet, "conv2") + 40, copy.y());
        }

        @Test
        void duplicateWithNothingSelectedDoesNothing() {
            EditorModel lenet = lenet();
            lenet.select(null);
            assertNull(lenet.copySelection());
            lenet.duplicate();
            assertEquals(0, lenet.commands().size());
        }

        @Test
        void pasteOfSomethingElseReturnsFalseAndRecordsNothing() {
            EditorModel lenet = lenet();
            long revision = lenet.revisionProperty().get();
            String unknownType = new ProjectFile().toJson(Project.of("x", graphWithUnknownType()));
            String empty = new ProjectFile().toJson(Project.of("x", new NetworkGraph()));
            for (String garbage : new String[] {null, "", "   ", "hello", "{}", "[1, 2]", "{\"format\": 3}",
                    unknownType, empty}) {
                assertFalse(lenet.paste(garbage, 0, 0), "pasting " + garbage);
            }
            assertEquals(0, lenet.commands().size());
            assertEquals(13, lenet.graph().nodes().size());
            assertEquals(revision, lenet.revisionProperty().get(), "nothing changed, nothing to repaint");
        }

        private NetworkGraph graphWithUnknownType() {
            NetworkGraph g = new NetworkGraph();
            g.add("x", "Conv3d", Map.of(), 0, 0);
            return g;
        }
    }

    @Nested
    class DirtyFlag {
        @Test
        void cleanAfterLoadDirtyAfterEditCleanAfterUndoingBack() {
            EditorModel lenet = lenet();
            assertFalse(lenet.isDirty());
            lenet.setParam("fc1", "out_features", 100);
            assertTrue(lenet.isDirty());
            lenet.setParam("fc2", "out_features", 50);
            lenet.undo();
            assertTrue(lenet.isDirty());
            lenet.undo();
            assertFalse(lenet.isDirty(), "back at the opened state");
            lenet.redo();
            assertTrue(lenet.isDirty());
        }

        @Test
        void markSavedMakesTheCurrentStateTheCleanOne(@org.junit.jupiter.api.io.TempDir Path dir) {
            EditorModel lenet = lenet();
            lenet.setParam("fc1", "out_features", 100);
            Path to = dir.resolve("mine.json");
            lenet.markSaved(to, "Mine");
            assertFalse(lenet.isDirty());
            assertEquals(to, lenet.file());
            assertEquals("Mine", lenet.name());
            lenet.undo();
            assertTrue(lenet.isDirty(), "the opened state is no longer what is on disk");
            lenet.redo();
            assertFalse(lenet.isDirty());
        }

        @Test
        void anEditAfterUndoingPastTheSaveMakesTheSavedStateUnreachable() {
            EditorModel lenet = lenet();
            lenet.setParam("fc1", "out_features", 100);
            lenet.markSaved(Path.of("saved.json"), null);
            assertEquals("LeNet-5", lenet.name(), "a null name keeps the project's name");
            lenet.undo();
            lenet.setParam("fc2", "out_features", 50); // cuts off the redo branch holding the saved state
            assertTrue(lenet.isDirty());
            lenet.undo();
            assertTrue(lenet.isDirty(), "this state never was on disk");
            lenet.redo();
            assertTrue(lenet.isDirty());
            lenet.markSaved(Path.of("saved.json"), null);
            assertFalse(lenet.isDirty());
        }

        @Test
        void markUnsavedForcesDirtyUntilTheNextSave() {
            EditorModel lenet = lenet();
            lenet.markUnsaved();
            assertTrue(lenet.isDirty());
            lenet.setParam("fc1", "out_features", 100);
            lenet.undo();
            assertTrue(lenet.isDirty());
            lenet.markSaved(Path.of("x.json"), null);
            assertFalse(lenet.isDirty());
        }

        @Test
        void loadingForgetsTheHistory() {
            m.addNode("Input", 0, 0);
            assertTrue(m.commands().canUndoProperty().get());
            m.load(Models.layout("mlp.json"), Path.of("mlp.json"));
            assertFalse(m.commands().canUndoProperty().get());
            assertFalse(m.isDirty());
            assertEquals(Path.of("mlp.json"), m.file());
            assertEquals(669_706, m.report().totalParameters(), "the README's figure for mlp.json");
            m.undo();
            assertEquals(669_706, m.report().totalParameters(), "undo cannot reach the previous project");
        }

        @Test
        void newProjectIsEmptyCleanAndUntitled() {
            EditorModel lenet = lenet();
            lenet.setParam("fc1", "out_features", 100);
            lenet.newProject();
            assertTrue(lenet.graph().nodes().isEmpty());
            assertFalse(lenet.isDirty());
            assertEquals("Untitled", lenet.name());
            assertNull(lenet.file());
        }
    }

    @Nested
    class Locked {
        @Test
        void aLockedModelRefusesEveryEdit() {
            EditorModel lenet = lenet();
            lenet.select("conv1");
            NetworkGraph before = lenet.graph().copy();
            lenet.setLocked(true);
            String clip = lenet.copySelection();

            List<Runnable> edits = List.of(
                    () -> lenet.addNode("ReLU", 0, 0),
                    () -> lenet.append("ReLU"),
                    lenet::deleteSelection,
                    () -> lenet.setParam("conv1", "out_channels", 3),
                    () -> lenet.setLabel("conv1", "c"),
                    () -> lenet.setTraining(lenet.training().withEpochs(9)),
                    () -> lenet.disconnect(new Edge("conv1", "relu1", 0)),
                    () -> lenet.insertOnEdge("Dropout", new Edge("conv1", "relu1", 0), 0, 0),
                    () -> lenet.moveTo(Map.of("conv1", new double[] {0, 0})),
                    lenet::autoLayout,
                    () -> lenet.paste(clip, 10, 10));
            for (Runnable edit : edits) {
                IllegalStateException e = assertThrows(IllegalStateException.class, edit::run);
                assertEquals(I18n.text("edit.locked"), e.getMessage());
            }
            lenet.previewMove(List.of("conv1"), 50, 50);
            lenet.finishMove();
            assertTrue(Graphs.sameGraph(before, lenet.graph()));
            assertEquals(0, lenet.commands().size());
            assertTrue(lenet.lockedProperty().get());
        }

        @Test
        void undoAndRedoDoNothingWhileLocked() {
            EditorModel lenet = lenet();
            lenet.setParam("conv1", "out_channels", 3);
            lenet.setParam("conv1", "out_channels", 4);
            lenet.undo();
            NetworkGraph middle = lenet.graph().copy();
            lenet.setLocked(true);
            lenet.undo();
            assertTrue(Graphs.sameGraph(middle, lenet.graph()));
            lenet.redo();
            assertTrue(Graphs.sameGraph(middle, lenet.graph()));
            assertEquals(1, lenet.commands().size());
            lenet.setLocked(false);
            lenet.undo();
            assertEquals(6, lenet.graph().require("conv1").param("out_channels"));
        }
    }

    @Nested
    class Notifications {
        @Test
        void revisionTicksOnEveryChange() {
            List<Long> seen = new ArrayList<>();
            m.revisionProperty().addListener((o, a, b) -> seen.add(b.longValue()));
            m.addNode("Input", 0, 0);
            m.append("Conv2d");
            m.setParam("conv1", "out_channels", 4);
            m.undo();
            m.redo();
            m.load(Models.layout("lenet5.json"), null);
            assertEquals(6, seen.size(), "one tick per change: " + seen);
            for (int i = 1; i < seen.size(); i++) {
                assertTrue(seen.get(i) > seen.get(i - 1));
            }
        }

        @Test
        void theReportPropertyFollowsEdits() {
            EditorModel lenet = lenet();
            List<Long> totals = new ArrayList<>();
            lenet.reportProperty().addListener((o, a, b) -> totals.add(b.totalParameters()));
            lenet.setParam("fc3", "out_features", 20);
            // fc3 reads 84 features: 84·10+10 = 850 → 84·20+20 = 1,700
            assertEquals(List.of(61_706L + 850), totals);
        }

        @Test
        void toProjectIsACopyTheModelDoesNotChangeLater() {
            EditorModel lenet = lenet();
            Project p = lenet.toProject();
            lenet.setParam("conv1", "out_channels", 3);
            lenet.previewMove(List.of("conv1"), 10, 10);
            assertEquals(6, p.graph().require("conv1").param("out_channels"));
            assertEquals(240, p.graph().require("conv1").x());
            assertEquals("LeNet-5", p.name());
        }

        @Test
        void undoDescriptionsNameTheEdits() {
            m.addNode("Input", 0, 0);
            m.append("Linear");
            assertEquals("Add Linear", m.commands().undoDescriptionProperty().get());
            assertEquals("", m.commands().redoDescriptionProperty().get());
            m.undo();
            assertEquals("Add Input", m.commands().undoDescriptionProperty().get());
            assertEquals("Add Linear", m.commands().redoDescriptionProperty().get());
        }
    }
}
