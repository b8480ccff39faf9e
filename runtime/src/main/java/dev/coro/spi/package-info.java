/**
 * The protocol between rewritten code and the runtime: {@link dev.coro.spi.Frame} (a coroutine's
 * state, slots and the {@code await}/{@code resumeValue}/{@code returnValue} entry points) and
 * {@link dev.coro.spi.CoroutineBody} (its resumable code). Stable for generated code; not meant for
 * applications.
 *
 * <h2>Writing a coroutine by hand (inside the runtime)</h2>
 * The runtime itself is not rewritten; its own coroutines ({@code sleep}, {@code timeout},
 * {@code taskGroup}, {@code Lock.acquire}, {@code Queue.put}, ...) are written in exactly the shape
 * the rewriter generates:
 * <pre>{@code
 * Coroutine<Boolean> acquire() {
 *     return new Frame<>(frame -> {
 *         switch (frame.state) {
 *             case 0:
 *                 if (!locked) { locked = true; return true; }   // finished at once: 0 iterations
 *                 Promise<Void> waiter = loop.createPromise();
 *                 waiters.add(waiter);
 *                 Frame.putRef(waiter, frame, 0);                  // a value needed after the await
 *                 Object r = Frame.await(waiter, frame);
 *                 if (r == Frame.SUSPENDED) { frame.state = 1; return Frame.SUSPENDED; }
 *                 break;                                           // was already done: go on
 *             case 1:
 *                 try {
 *                     frame.resumeValue();                         // value, or throws (e.g. CancelledError)
 *                 } catch (CancelledError e) {
 *                     waiters.remove(Frame.getRef(frame, 0));
 *                     throw e;
 *                 }
 *                 break;
 *             default:
 *                 throw new IllegalStateException("bad state " + frame.state);
 *         }
 *         locked = true;
 *         return true;                                             // the coroutine's result
 *     }, 1, 0);
 * }
 * }</pre>
 * Rules: return {@link dev.coro.spi.Frame#SUSPENDED} only right after {@code Frame.await} returned
 * it, after setting {@code frame.state} to a state that first calls {@code frame.resumeValue()};
 * a coroutine never started ({@code state == 0}) that receives an exception (a cancel before its
 * first step) fails without running; a {@code CoroutineBody} object may carry per-call fields
 * instead of slots (the runtime's combinators do).
 */
package dev.coro.spi;
