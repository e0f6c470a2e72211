package io.deepcanvas.app.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.app.model.Graphs;
import io.deepcanvas.engine.io.Project;
import io.deepcanvas.engine.io.ProjectFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryTest {
    @TempDir
    Path home;

    private static Project lenet() throws IOException {
        return ProjectFile.withLayerRegistry().load(Examples.lenet5());
    }

    @Test
    void nothingToRecoverInAFreshHome() {
        assertNull(new Recovery(home).find());
    }

    @Test
    void writeThenFindRoundTripsTheProjectAndItsOrigin() throws IOException {
        Project p = lenet();
        p.graph().require("conv1").setParam("out_channels", 7);
        p.graph().require("conv1").moveTo(123.5, 77);
        Path origin = home.resolve("work/lenet.json");
        Instant before = Instant.now().minusSeconds(1);

        new Recovery(home).write(p, origin);
        Recovery.Saved saved = new Recovery(home).find();

        assertNotNull(saved);
        assertEquals("LeNet-5", saved.project().name());
        assertTrue(Graphs.sameGraph(p.graph(), saved.project().graph()));
        assertEquals(p.training(), saved.project().training());
        assertEquals(origin.toAbsolutePath(), saved.origin());
        assertFalse(saved.when().isBefore(before));
        assertTrue(Duration.between(saved.when(), Instant.now()).toMinutes() < 5);
    }

    @Test
    void aNeverSavedProjectHasNoOrigin() throws IOException {
        new Recovery(home).write(lenet(), null);
        Recovery.Saved saved = new Recovery(home).find();
        assertNotNull(saved);
        assertNull(saved.origin());
    }

    @Test
    void aLaterWriteReplacesTheEarlierOne() throws IOException {
        Recovery r = new Recovery(home);
        r.write(lenet(), home.resolve("a.json"));
        Project renamed = new Project("Second", lenet().graph(), lenet().training(), lenet().view(), null);
        r.write(renamed, null);
        Recovery.Saved saved = r.find();
        assertEquals("Second", saved.project().name());
        assertNull(saved.origin());
    }

    @Test
    void clearRemovesTheRecovery() throws IOException {
        Recovery r = new Recovery(home);
        r.write(lenet(), home.resolve("a.json"));
        r.clear();
        assertNull(r.find());
        assertFalse(Files.exists(home.resolve("recovery.json")));
        assertFalse(Files.exists(home.resolve("recovery.properties")));
        r.clear(); // clearing twice is harmless
    }

    @Test
    void anUnreadableRecoveryFileIsIgnored() throws IOException {
        Files.writeString(home.resolve("recovery.json"), "{ this is not a project");
        assertNull(new Recovery(home).find());
        Files.writeString(home.resolve("recovery.json"), "");
        assertNull(new Recovery(home).find());
    }

    @Test
    void writeCreatesAMissingHome() throws IOException {
        Path nested = home.resolve("deep/er");
        new Recovery(nested).write(lenet(), null);
        assertNotNull(new Recovery(nested).find());
    }

    @Test
    void aMissingInfoFileStillRecoversTheProject() throws IOException {
        Recovery r = new Recovery(home);
        r.write(lenet(), home.resolve("a.json"));
        Files.delete(home.resolve("recovery.properties"));
        Recovery.Saved saved = r.find();
        assertNotNull(saved);
        assertNull(saved.origin());
        assertNotNull(saved.when(), "the file's own time stands in");
    }

    @Test
    void aDamagedTimestampStillRecoversTheProject() throws IOException {
        // the work is in recovery.json; a bad line in the side file must not throw it away
        Recovery r = new Recovery(home);
        r.write(lenet(), home.resolve("a.json"));
        Files.writeString(home.resolve("recovery.properties"), "origin=/work/a.json\ntime=yesterday\n");
        Recovery.Saved saved = r.find();
        assertNotNull(saved, "the project itself is readable");
        assertEquals("LeNet-5", saved.project().name());
        assertEquals(Path.of("/work/a.json"), saved.origin());
        assertNotNull(saved.when(), "the file's own time stands in");
    }
}
