// Checks the three builds of invoker.properties and runs the application.
def log = new File(basedir, 'build.log').text

def rewriteLines = log.readLines().findAll { it.contains('[INFO] rewrote ') }
println "plugin summary lines:\n  " + rewriteLines.join('\n  ')
// 3 builds x 2 modules x 2 goals
assert rewriteLines.size() == 12 : "expected 12 plugin summary lines, got ${rewriteLines.size()}"

def counts = rewriteLines.collect { (it =~ /rewrote (\d+) methods? in (\d+) class/)[0][1..2]*.toInteger() }
// build 1 (clean): lib main, lib test, app main, app test all rewrite something
counts[0..3].each { assert it[0] > 0 && it[1] > 0 : "the clean build rewrote nothing: $rewriteLines" }
// build 2 (no clean): nothing rewritten again
counts[4..7].each { assert it == [0, 0] : "the second build rewrote again: $rewriteLines" }
// build 3 (-T2, clean): same as build 1
assert counts[8..11].sort() == counts[0..3].sort() : "the parallel build rewrote differently: $rewriteLines"

assert !log.contains('not marked as @threadSafe') : 'Maven warned that the plugin is not thread-safe'
assert log.contains('MultiThreadedBuilder implementation with a thread count of 2') : 'the third build was not parallel'
assert (log =~ /Tests run: (\d+), Failures: 0, Errors: 0, Skipped: 0\n/).findAll().size() >= 6 : 'tests did not all run and pass'
assert !(log =~ /Tests run: \d+, Failures: [1-9]/) && !(log =~ /Errors: [1-9]/)

// Run the application built with the plugin: the output of expected-output.txt.
def runtimeJar = new File(itRepository, "dev/coro/coro-runtime/${coroVersion}/coro-runtime-${coroVersion}.jar")
assert runtimeJar.isFile() : "no runtime jar at $runtimeJar"
def cp = [new File(basedir, 'app/target/classes'), new File(basedir, 'lib/target/classes'), runtimeJar].join(File.pathSeparator)
def java = new File(System.getProperty('java.home'), 'bin/java').path
def process = [java, '-cp', cp, 'it.app.Main'].execute()
def out = new StringBuilder(), err = new StringBuilder()
process.waitForProcessOutput(out, err)
println "application output:\n$out$err"
assert process.exitValue() == 0 : "the application failed: $err"
assert out.toString().readLines() == new File(basedir, 'expected-output.txt').readLines()
return true
