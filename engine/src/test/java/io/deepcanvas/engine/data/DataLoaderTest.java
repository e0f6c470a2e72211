package io.deepcanvas.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deepcanvas.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batching, ordering, background loading and error propagation of DataLoader. */
class DataLoaderTest {
    /** Example i has input [i, -i] (shape [2]) and target i, so batches reveal the order. */
    static class Indexed implements Dataset {
        final int n;

        Indexed(int n) {
            this.n = n;
        }

        @Override
        public int size() {
            return n;
        }

        @Override
        public Example get(int index) {
            Dataset.checkIndex(index, n, this);
            return Example.of(Tensor.wrap(new float[] {index, -index}, 2), index);
        }
    }

    /** The dataset indices of one epoch, in the order the loader delivered them. */
    static List<Integer> epoch(DataLoader loader) {
        List<Integer> seen = new ArrayList<>();
        for (Batch b : loader) {
            for (float v : b.targets().toArray()) {
                seen.add((int) v);
            }
        }
        return seen;
    }

    @Test
    void batchesStackInputsAndTargets() {
        DataLoader loader = new DataLoader(new Indexed(10), 4);
        Batch b = loader.iterator().next();
        assertArrayEquals(new int[] {4, 2}, b.inputs().shape().toArray());
        assertArrayEquals(new int[] {4}, b.targets().shape().toArray());
        assertArrayEquals(new float[] {0, 0, 1, -1, 2, -2, 3, -3}, b.inputs().toArray());
        assertArrayEquals(new float[] {0, 1, 2, 3}, b.targets().toArray());
        assertEquals(4, b.size());
    }

    @Test
    void lastPartialBatchIsKeptUnlessDropLast() {
        DataLoader keep = new DataLoader(new Indexed(10), 4);
        assertEquals(3, keep.numBatches());
        List<Integer> sizes = new ArrayList<>();
        keep.forEach(b -> sizes.add(b.size()));
        assertEquals(List.of(4, 4, 2), sizes);

        DataLoader drop = DataLoader.builder(new Indexed(10)).batchSize(4).dropLast(true).build();
        assertEquals(2, drop.numBatches());
        assertEquals(2, drop.size());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), epoch(drop));
    }

    @Test
    void withoutShuffleTheOrderIsTheDatasetOrder() {
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 37; i++) {
            expected.add(i);
        }
        assertEquals(expected, epoch(new DataLoader(new Indexed(37), 5)));
    }

    @Test
    void everyIndexAppearsExactlyOncePerShuffledEpoch() {
        DataLoader loader = DataLoader.builder(new Indexed(1000)).batchSize(64).shuffle(true).seed(7).build();
        for (int e = 0; e < 3; e++) {
            List<Integer> seen = epoch(loader);
            assertEquals(1000, seen.size());
            boolean[] hit = new boolean[1000];
            for (int i : seen) {
                assertFalse(hit[i], "index " + i + " seen twice in epoch " + e);
                hit[i] = true;
            }
        }
    }

    @Test
    void sameSeedGivesSameOrderAndEachEpochANewOne() {
        DataLoader a = DataLoader.builder(new Indexed(100)).batchSize(10).shuffle(true).seed(42).build();
        DataLoader b = DataLoader.builder(new Indexed(100)).batchSize(10).shuffle(true).seed(42).build();
        List<Integer> a0 = epoch(a);
        List<Integer> a1 = epoch(a);
        assertEquals(a0, epoch(b));
        assertEquals(a1, epoch(b));
        assertNotEquals(a0, a1, "a new permutation each epoch");
        List<Integer> sorted = new ArrayList<>(a0);
        sorted.sort(null);
        assertNotEquals(sorted, a0, "shuffled");

        DataLoader other = DataLoader.builder(new Indexed(100)).batchSize(10).shuffle(true).seed(43).build();
        assertNotEquals(a0, epoch(other));

        a.setEpoch(0);
        assertEquals(a0, epoch(a), "setEpoch rewinds to the same order");
        assertEquals(1, a.epoch(), "the next epoch after the rewound one");
    }

    @Test
    void loadingOnTheCallingThreadGivesTheSameBatches() {
        DataLoader bg = DataLoader.builder(new Indexed(50)).batchSize(8).shuffle(true).seed(3).build();
        DataLoader fg = DataLoader.builder(new Indexed(50)).batchSize(8).shuffle(true).seed(3).prefetch(0).build();
        assertEquals(epoch(bg), epoch(fg));
        assertEquals(null, fg.iterator().thread());
    }

    @Test
    void exceptionInDatasetGetSurfacesInTheConsumerWithItsMessage() {
        Dataset failing = new Indexed(20) {
            @Override
            public Example get(int index) {
                if (index == 13) {
                    throw new IllegalArgumentException("corrupt image 13 in shard B");
                }
                return super.get(index);
            }
        };
        DataLoader loader = new DataLoader(failing, 5);
        DataLoader.BatchIterator it = loader.iterator();
        it.next();
        it.next(); // batches 0 and 1 (indices 0..9) are fine
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, it::next);
        assertEquals("corrupt image 13 in shard B", e.getMessage());
        assertEquals(1, e.getSuppressed().length);
        assertTrue(e.getSuppressed()[0].getMessage().contains("batch 2"), e.getSuppressed()[0].getMessage());
        assertFalse(it.hasNext());
    }

    @Test
    void mismatchedSampleShapesAreReportedWithBothShapes() {
        Dataset ragged = new Indexed(4) {
            @Override
            public Example get(int index) {
                return Example.of(Tensor.wrap(new float[index + 1], index + 1), index);
            }
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new DataLoader(ragged, 4).iterator().next());
        assertTrue(e.getMessage().contains("[2]") && e.getMessage().contains("[1]"), e.getMessage());
    }

    @Test
    void batchSizeMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DataLoader(new Indexed(3), 0));
        assertTrue(e.getMessage().contains("batchSize must be > 0, got 0"), e.getMessage());
    }

    @Test
    void closingAnIteratorEarlyEndsItsThread() throws InterruptedException {
        DataLoader.BatchIterator it = new DataLoader(new Indexed(10_000), 10).iterator();
        it.next();
        Thread t = it.thread();
        assertTrue(t.isDaemon());
        it.close();
        t.join(2000);
        assertFalse(t.isAlive());
        assertFalse(it.hasNext());
    }

    @Test
    void theThreadEndsAfterTheLastBatch() throws InterruptedException {
        DataLoader.BatchIterator it = new DataLoader(new Indexed(10), 3).iterator();
        Thread t = it.thread();
        while (it.hasNext()) {
            it.next();
        }
        t.join(2000);
        assertFalse(t.isAlive());
    }

    @Test
    void anAbandonedIteratorsThreadEndsOnceItIsCollected() throws InterruptedException {
        Thread t = startAndAbandon();
        for (int i = 0; i < 50 && t.isAlive(); i++) {
            System.gc();
            t.join(100);
        }
        assertFalse(t.isAlive(), "loader thread still running after its iterator was dropped");
    }

    private static Thread startAndAbandon() {
        DataLoader.BatchIterator it = new DataLoader(new Indexed(10_000), 10).iterator();
        it.next();
        return it.thread();
    }

    @Test
    void tensorDatasetSlicesRowsAndStacksVectorTargets() {
        Tensor x = Tensor.fromArray(new float[] {0, 1, 2, 3, 4, 5}, 3, 2);
        Tensor y = Tensor.fromArray(new float[] {10, 11, 20, 21, 30, 31}, 3, 2);
        TensorDataset ds = new TensorDataset(x, y);
        assertEquals(3, ds.size());
        Example e = ds.get(1);
        assertArrayEquals(new float[] {2, 3}, e.input().toArray());
        assertArrayEquals(new int[] {2}, e.target().shape().toArray());
        Batch b = new DataLoader(ds, 2).iterator().next();
        assertArrayEquals(new int[] {2, 2}, b.targets().shape().toArray());
        assertArrayEquals(new float[] {10, 11, 20, 21}, b.targets().toArray());

        TensorDataset cls = new TensorDataset(x, Tensor.fromArray(new float[] {2, 0, 1}, 3));
        assertEquals(0, cls.get(1).target().shape().rank());
        assertEquals(1, cls.get(2).label());
        IllegalArgumentException err = assertThrows(IllegalArgumentException.class,
                () -> new TensorDataset(x, Tensor.fromArray(new float[2], 2)));
        assertTrue(err.getMessage().contains("3 rows") && err.getMessage().contains("have 2"), err.getMessage());
    }

    @Test
    void subsetRandomIsSeededAndDistinct() {
        Subset a = Subset.random(new Indexed(100), 30, 5);
        Subset b = Subset.random(new Indexed(100), 30, 5);
        int[] ia = new int[30];
        int[] ib = new int[30];
        for (int i = 0; i < 30; i++) {
            ia[i] = a.get(i).label();
            ib[i] = b.sourceIndex(i);
        }
        assertArrayEquals(ia, ib);
        assertEquals(30, Arrays.stream(ia).distinct().count());
        assertSame(a.dataset().getClass(), Indexed.class);
    }
}
