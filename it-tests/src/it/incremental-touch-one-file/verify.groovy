// Checks the three builds of invoker.properties: (1) clean package, (2) touch Main.java,
// (3) package again, where javac recompiles Main.java only and the Coro plugin rewrites only
// Main.class; then runs the application.
def log = new File(basedir, 'build.log').text
def lines = log.readLines()

// Pair each mojo header ("--- <plugin>:<version>:<goal> (<execution>) @ ...") with the lines it logged.
def steps = []
lines.each { line ->
    def header = line =~ /--- ([\w.-]+):[\w.-]+:([\w-]+) \(([\w-]+)\) @/
    if (header) {
        steps << [goal: header[0][2], execution: header[0][3], lines: []]
    } else if (!steps.isEmpty()) {
        steps[-1].lines << line
    }
}
def summaries = { goal ->
    steps.findAll { it.goal == goal }.collect { step -> step.lines.find { it =~ /\[INFO\] rewrote \d+ methods? in \d+ class/ } }
}
def instrument = summaries('instrument')
def instrumentTest = summaries('instrument-test')
println "coro:instrument summary lines:\n  " + instrument.join('\n  ')
println "coro:instrument-test summary lines:\n  " + instrumentTest.join('\n  ')
assert instrument.size() == 2 && !instrument.contains(null) : "expected one coro:instrument summary in builds 1 and 3: $instrument"
assert instrumentTest.size() == 2 && !instrumentTest.contains(null) : "expected one coro:instrument-test summary in builds 1 and 3: $instrumentTest"

// build 1 (clean): the four main classes and the test class are rewritten, one @Async method each
assert instrument[0] =~ /\] rewrote 4 methods in 4 classes in \d+ ms \(4 class files looked at\)$/ : "build 1: ${instrument[0]}"
assert instrumentTest[0] =~ /\] rewrote 1 method in 1 class in \d+ ms \(1 class file looked at\)$/ : "build 1: ${instrumentTest[0]}"

// build 2 only touched Main.java
assert steps.count { it.goal == 'run' && it.execution == 'touch-main' } == 1 : 'the touch-main step did not run'

// build 3: javac recompiled Main.java alone (useIncrementalCompilation=false) and nothing of the tests ...
def compiles = steps.findAll { it.goal == 'compile' }
assert compiles.size() == 2
assert compiles[0].lines.any { it =~ /Compiling 4 source files/ } : "build 1 should compile the 4 sources: ${compiles[0].lines}"
assert compiles[1].lines.any { it =~ /Compiling 1 source file / } : "build 3 should compile Main.java only: ${compiles[1].lines}"
def testCompiles = steps.findAll { it.goal == 'testCompile' }
assert testCompiles.size() == 2 && testCompiles[1].lines.any { it.contains('Nothing to compile') } : "build 3 should compile no test: ${testCompiles[1].lines}"
// ... and the Coro plugin rewrote exactly that one class, skipping the three others as unchanged
assert instrument[1] =~ /\] rewrote 1 method in 1 class in \d+ ms \(4 class files looked at, 3 unchanged since the last run\)$/ : "build 3 should rewrite one class: ${instrument[1]}"
def rewrittenInBuild3 = steps.findAll { it.goal == 'instrument' }[1].lines.findAll { it =~ /\[INFO\] rewrote \d+ methods? in it\// }
assert rewrittenInBuild3.size() == 1 && rewrittenInBuild3[0].endsWith('rewrote 1 method in it/touch/Main.class') : "build 3 rewrote: $rewrittenInBuild3"
assert instrumentTest[1] =~ /\] rewrote 0 methods in 0 classes in \d+ ms \(1 class file looked at, 1 unchanged since the last run\)$/ : "build 3 tests: ${instrumentTest[1]}"

// Every class file carries the rewriter's marker (Main.class too, recompiled and rewritten again).
['Main', 'Greeter', 'Counter', 'Adder'].each { name ->
    def file = new File(basedir, "target/classes/it/touch/${name}.class")
    assert new String(file.bytes, 'ISO-8859-1').contains('dev/coro/spi/Rewritten') : "$file is not rewritten"
}

// The tests ran and passed in builds 1 and 3.
def testRuns = (log =~ /Tests run: (\d+), Failures: 0, Errors: 0, Skipped: 0\n/).findAll()
assert testRuns.size() >= 2 : 'the tests did not run and pass in both builds'
assert !(log =~ /Tests run: \d+, Failures: [1-9]/) && !(log =~ /Errors: [1-9]/)

// Run the jar of build 3: the output of expected-output.txt.
def runtimeJar = new File(itRepository, "dev/coro/coro-runtime/${coroVersion}/coro-runtime-${coroVersion}.jar")
assert runtimeJar.isFile() : "no runtime jar at $runtimeJar"
def cp = [new File(basedir, 'target/incremental-touch-one-file-1.0.jar'), runtimeJar].join(File.pathSeparator)
def java = new File(System.getProperty('java.home'), 'bin/java').path
def process = [java, '-cp', cp, 'it.touch.Main'].execute()
def out = new StringBuilder(), err = new StringBuilder()
process.waitForProcessOutput(out, err)
println "application output:\n$out$err"
assert process.exitValue() == 0 : "the application failed: $err"
assert out.toString().readLines() == new File(basedir, 'expected-output.txt').readLines()
return true
