// -Dcoro.skip: the goal says it skipped and why; the classes are javac's; the first await throws.
def log = new File(basedir, 'build.log').text
assert log.contains('skipped (coro.skip is true)') : 'the goal should log that and why it skipped'
assert !log.contains('[INFO] rewrote ')
new File(basedir, 'target/classes').eachFileRecurse { file ->
    if (file.name.endsWith('.class')) {
        assert !new String(file.bytes, 'ISO-8859-1').contains('dev/coro/spi/Rewritten') : "$file was rewritten"
    }
}
def runtimeJar = new File(itRepository, "dev/coro/coro-runtime/${coroVersion}/coro-runtime-${coroVersion}.jar")
def cp = [new File(basedir, 'target/classes'), runtimeJar].join(File.pathSeparator)
def java = new File(System.getProperty('java.home'), 'bin/java').path
def process = [java, '-cp', cp, 'it.single.Main'].execute()
def out = new StringBuilder(), err = new StringBuilder()
process.waitForProcessOutput(out, err)
println "application output:\n$out$err"
assert process.exitValue() != 0 : 'the un-rewritten application should fail'
assert err.contains('IllegalStateException') : 'await in un-rewritten code throws IllegalStateException'
assert err.contains('agent') && err.contains('plugin') : 'the error should say to add the plugin or the agent'
assert !out.contains('squares') : 'no await may return in un-rewritten code'
return true
