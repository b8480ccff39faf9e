package com.acme;

import static dev.coro.Coro.*;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.coro.Async;
import dev.coro.Coroutine;
import dev.coro.TimeoutException;
import dev.coro.io.StreamReader;
import dev.coro.io.StreamWriter;
import java.time.Duration;

public class Greeter {
    /** One connection: reads a name, answers "Hello, NAME!"; says "Bye." to a client silent for 30 s. */
    @Async
    public static Coroutine<Void> greet(StreamReader reader, StreamWriter writer) {
        try {
            byte[] line = await(waitFor(reader.readLine(), Duration.ofSeconds(30)));
            writer.write("Hello, " + new String(line, UTF_8).strip() + "!\n");
        } catch (TimeoutException silent) {
            writer.write("Bye.\n");
        }
        await(writer.drain());
        return done();
    }
}
