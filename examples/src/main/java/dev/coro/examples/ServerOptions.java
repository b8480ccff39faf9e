package dev.coro.examples;

/**
 * The command-line options of the server examples: {@code --host H} (default {@code 127.0.0.1})
 * and {@code --port N}. With neither, the example runs its demo: a short client session against
 * its own server on a free loopback port, then it exits. With either, it serves until killed
 * ({@code --port 0} picks a free port and prints it).
 *
 * @param host the address to listen on
 * @param port the port (0: a free one)
 * @param serve true to serve until killed, false for the demo
 */
record ServerOptions(String host, int port, boolean serve) {
    static final String DEFAULT_HOST = "127.0.0.1";

    /** The demo's options: loopback, a free port, a client session, then exit. */
    static final ServerOptions DEMO = new ServerOptions(DEFAULT_HOST, 0, false);

    /**
     * @param args {@code --host H}, {@code --port N}, in any order
     * @return the options
     * @throws IllegalArgumentException on an unknown option, a missing value or a bad port
     */
    static ServerOptions parse(String[] args) {
        String host = DEFAULT_HOST;
        int port = 0;
        boolean serve = false;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (!option.equals("--host") && !option.equals("--port")) {
                throw new IllegalArgumentException("Unknown option \"" + option + "\"; the options are --host H and --port N");
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            serve = true;
            if (option.equals("--host")) {
                host = value;
            } else {
                try {
                    port = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (port < 0 || port > 65535) {
                    throw new IllegalArgumentException("--port takes a number from 0 to 65535, not \"" + value + "\"");
                }
            }
        }
        return new ServerOptions(host, port, serve);
    }
}
