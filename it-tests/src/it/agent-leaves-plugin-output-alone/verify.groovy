// Plugin output run with the agent: the marker makes the agent leave every class alone.
def log = new File(basedir, 'build.log').text
assert log.contains('[INFO] rewrote 3 methods in 2 classes')
def agentJar = new File(itRepository, "dev/coro/coro-agent/${coroVersion}/coro-agent-${coroVersion}.jar")
def runtimeJar = new File(itRepository, "dev/coro/coro-runtime/${coroVersion}/coro-runtime-${coroVersion}.jar")
def cp = [new File(basedir, 'target/classes'), runtimeJar].join(File.pathSeparator)
def java = new File(System.getProperty('java.home'), 'bin/java').path
def process = [java, "-javaagent:${agentJar}=verbose", '-cp', cp, 'it.single.Main'].execute()
def out = new StringBuilder(), err = new StringBuilder()
process.waitForProcessOutput(out, err)
println "application output:\n$out\nstandard error:\n$err"
assert process.exitValue() == 0 : "the application failed: $err"
assert err.contains('coro-agent: installed') : 'the agent did not start'
assert !err.contains('coro-agent: rewrote') : 'the agent rewrote plugin output a second time'
assert err.contains('coro-agent: already rewritten (by the Maven plugin), left alone: it.single.Main')
assert err.contains('coro-agent: already rewritten (by the Maven plugin), left alone: it.single.Squares')
assert out.toString().readLines() == new File(basedir, 'expected-output.txt').readLines()
return true
