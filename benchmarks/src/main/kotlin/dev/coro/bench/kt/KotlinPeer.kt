package dev.coro.bench.kt

import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield

/**
 * Kotlin coroutines, idiomatic: everything inside one `runBlocking` (its event loop on the calling
 * thread, so all coroutines share one thread), `yield()`, `launch`/`async`, `delay`, `Channel`.
 * Every function returns a checksum that the smoke test checks.
 */
object KotlinPeer {
    /** Workload 1: `n` awaits of an already-completed `Deferred`. */
    @JvmStatic
    fun awaitCompleted(n: Int): Long = runBlocking {
        val one = CompletableDeferred(1)
        var s = 0L
        repeat(n) { s += one.await() }
        s
    }

    /** Workload 2: `tasks` coroutines, each calling `yield()` `yields` times, round robin. */
    @JvmStatic
    fun switches(tasks: Int, yields: Int): Long {
        var count = 0L
        runBlocking {
            repeat(tasks) {
                launch {
                    repeat(yields) {
                        yield()
                        count++
                    }
                }
            }
        }
        // runBlocking returns once its children completed
        return count
    }

    /** Workload 3: `repeats` chains of suspend calls `depth` deep, the innermost yielding once. */
    @JvmStatic
    fun chain(depth: Int, repeats: Int): Long = runBlocking {
        var s = 0L
        repeat(repeats) { s += chainOf(depth) }
        s
    }

    private suspend fun chainOf(depth: Int): Int {
        if (depth == 0) {
            yield()
            return 0
        }
        return chainOf(depth - 1) + 1
    }

    /** Workload 4a: `n` times `async { 1 }.await()`, one after the other. */
    @JvmStatic
    fun spawnAwait(n: Int): Long = runBlocking {
        var s = 0L
        repeat(n) { s += async { 1 }.await() }
        s
    }

    /** Workload 4b: `n` `async { 1 }` at once, then `awaitAll()`. */
    @JvmStatic
    fun gather(n: Int): Long = runBlocking {
        val all = List(n) { async { 1 } }
        all.awaitAll().sumOf { it.toLong() }
    }

    /**
     * Workloads 5 and 6: `n` coroutines each in `delay(millis)`; `probe` runs once all of them are
     * suspended in `delay` (one `yield()` after launching them all).
     */
    @JvmStatic
    fun sleepers(n: Int, millis: Long, probe: Runnable): Long {
        var done = 0L
        runBlocking {
            repeat(n) {
                launch {
                    delay(millis)
                    done++
                }
            }
            yield()
            probe.run()
        }
        return done
    }

    /** Workload 7: a producer `send`s `items` ints into a `Channel(capacity)`; a consumer `receive`s them. */
    @JvmStatic
    fun queue(capacity: Int, items: Int): Long = runBlocking {
        val channel = Channel<Int>(capacity)
        launch {
            for (i in 0 until items) channel.send(i)
        }
        var s = 0L
        repeat(items) { s += channel.receive() }
        s
    }
}
