package dev.coro.bench.mem;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.coro.bench.peers.ThreadPeer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Workloads 5 and 6 once per peer, small: the measurement code runs and prints its JSON line; the
 * figures are not looked at.
 */
class SleepingTasksSmokeTest {
    @ParameterizedTest
    @ValueSource(strings = {"coro", "kotlin", "virtualThread", "eaAsync", "completableFuture"})
    void heapAndWallRunForEveryPeer(String name) {
        assumeTrue(!name.equals("virtualThread") || ThreadPeer.virtualThreadsAvailable(), "JDK 21+");
        SleepingTasks.Peer peer = SleepingTasks.peer(name);
        String heap = SleepingTasks.heap(name, peer, 2000, false);
        assertTrue(heap.contains("\"peer\":\"" + name + "\"") && heap.contains("\"bytesPerTask\":"), heap);
        String wall = SleepingTasks.wall(name, peer, 2000, 20);
        assertTrue(wall.contains("\"tasks\":2000") && wall.contains("\"wallSeconds\":"), wall);
    }

    @Test
    void unknownPeerIsRefusedWithTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SleepingTasks.peer("loom"));
        assertTrue(e.getMessage().contains("coro kotlin virtualThread"), e.getMessage());
    }
}
