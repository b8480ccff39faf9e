/**
 * The Coro rewriter: turns each {@code @Async} method (and each async lambda) of a class file into
 * a resumable state machine, following the protocol of {@code dev.coro.spi.Frame}. Entry point:
 * {@link dev.coro.transform.CoroTransformer}; the Maven plugin and the agent only find class
 * files and hand them over.
 *
 * <h2>What a rewritten method looks like</h2>
 * For {@code @Async Coroutine<String> greet(String name)} whose body is
 * {@code String a = await(x); int n = await(y); return done(a + n);}:
 * <pre>{@code
 * // the stub: original name, descriptor, flags, signature, annotations; runs nothing of the body
 * Coroutine greet(String name) {
 *     Frame f = new Frame(<indy CoroutineBody -> greet(Frame)>, refSlots, primSlots);
 *     Frame.putRef(this, f, 0); Frame.putRef(name, f, 1);
 *     return f;
 * }
 * // the resume method: private static synthetic, same name (stack traces show the user's method)
 * static Object greet(Frame frame0) {
 *     Frame frame = frame0;                        // a fresh local after the original ones
 *     switch (frame.state) {
 *         case 0: this = getRef(frame, 0); name = getRef(frame, 1); clearRefs(frame, 0); // then the body
 *         case 1: goto RESTORE_1;                  // restore blocks sit at the end of the method,
 *         case 2: goto RESTORE_2;                  //   outside every exception range
 *         default: throw new IllegalStateException(...);
 *     }
 *     ... x ...
 *     r = Frame.await(x, frame);                   // fast path: no saving, no allocation
 *     if (r == SUSPENDED) { save live locals and the stack below x; clearRefs(frame, k);
 *                           frame.state = 1; return SUSPENDED; }
 *     goto CONTINUE_1;
 *   RESUME_1: r = frame.resumeValue();             // inside the original call's exception ranges
 *   CONTINUE_1: a = (String) r;
 *     ...
 *   RESTORE_1: restore live locals and stack; clearRefs(frame, 0); goto RESUME_1;
 * }
 * }</pre>
 *
 * <h2>States of a coroutine's frame, as the rewritten code sees them</h2>
 * <table>
 *   <caption>{@code Frame.state}</caption>
 *   <tr><th>state</th><th>meaning</th><th>saved in the frame</th></tr>
 *   <tr><td>0</td><td>created by the stub, not started</td><td>{@code this} and the arguments</td></tr>
 *   <tr><td>n &ge; 1</td><td>suspended at await site n (numbered in code order)</td>
 *       <td>the values live after site n: locals read later (and {@code this}), and the
 *       operand stack below the awaitable; when sites share their save code (a chain), also
 *       dead primitives known at site n, never dead references; other reference slots cleared</td></tr>
 *   <tr><td>any</td><td>running, or finished</td><td>nothing (the restore code clears the
 *       references it read back)</td></tr>
 * </table>
 *
 * <h2>Rules the rewriter relies on</h2>
 * <ul>
 *   <li>Values are typed by {@link org.objectweb.asm.tree.analysis.SimpleVerifier}-style
 *   analysis with the caller's {@link dev.coro.transform.ClassHierarchy} (no class is loaded);
 *   stack map frames of the rewritten methods are computed the same way, and the other methods
 *   of the class keep their original frames.</li>
 *   <li>An object under construction ({@code new X(await(a))}) cannot be saved: it is created
 *   just before its constructor call, after the arguments, which wait in fresh locals; the
 *   original {@code NEW} leaves a {@code null} placeholder that the code moves around as it
 *   moved the object (javac spills it into locals for a switch expression with a {@code try}).</li>
 *   <li>Monitors are counted along the paths the JVM takes: an exception goes to the first
 *   covering handler that matches, so javac's catch-any handler of a {@code synchronized} block
 *   hides the enclosing handlers, which then run without the monitor.</li>
 *   <li>Sites share save and restore code when their locals allow it (a chain: each site saves a
 *   prefix of one ordered list of locals, entering a ladder of saves where its prefix ends), so
 *   the rewritten method grows with the number of locals plus the number of awaits, not their
 *   product; only a method already near the JVM's 64 KiB is refused for size.</li>
 *   <li>Refusals are {@link dev.coro.transform.Diagnostic}s naming {@code File.java:line}, the
 *   method and the fix; a class with any refusal is left unchanged.</li>
 * </ul>
 */
package dev.coro.transform;
