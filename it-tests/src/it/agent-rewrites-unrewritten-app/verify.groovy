// The application was compiled without the plugin; the agent rewrites it as it loads.
def log = new File(basedir, 'build.log').text
assert !log.contains('coro-maven-plugin')
def agentJar = new File(itRepository, "dev/coro/coro-agent/${coroVersion}/coro-agent-${coroVersion}.jar")
def runtimeJar = new File(itRepository, "dev/coro/coro-runtime/${coroVersion}/coro-runtime-${coroVersion}.jar")
assert agentJar.isFile() && runtimeJar.isFile()
def cp = [new File(basedir, 'target/classes'), runtimeJar].join(File.pathSeparator)
def java = new File(System.getProperty('java.home'), 'bin/java').path
def process = [java, "-javaagent:${agentJar}=verbose", '-cp', cp, 'it.single.Main'].execute()
def out = new StringBuilder(), err = new StringBuilder()
process.waitForProcessOutput(out, err)
println "application output:\n$out\nstandard error:\n$err"
assert process.exitValue() == 0 : "the application failed: $err"
assert out.toString().readLines() == new File(basedir, 'expected-output.txt').readLines()
assert err.contains('coro-agent: rewrote 2 methods in it.single.Squares') : 'the agent should have rewritten Squares'
assert err.contains('coro-agent: rewrote 1 method in it.single.Main') : 'the agent should have rewritten Main'
return true
