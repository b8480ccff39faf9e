// Build 1 failed, and the log names the refused await as path/File.java:line, as javac does.
// Build 2 (failOnError=false) logged the same site and went on.
def log = new File(basedir, 'build.log').text
def source = new File(basedir, 'src/main/java/it/bad/Forgetful.java')
def line = source.readLines().findIndexOf { it.contains('LINE-OF-THE-BAD-AWAIT') } + 1
assert line > 0
assert log.contains('BUILD FAILURE')
assert log.contains('BUILD SUCCESS') : 'the build with -Dcoro.failOnError=false should pass'
assert log.contains('failOnError is false: the classes above were left as compiled') : 'build 2 should warn'
assert log.contains('Coro could not rewrite 1 site') : 'the failure message should count the refused sites'
def expected = source.canonicalFile.path + ':' + line + ': '
def errorLines = log.readLines().findAll { it.contains('Forgetful.java:') }
println "error lines:\n  " + errorLines.join('\n  ')
assert errorLines.any { it.contains(expected) } : "no line naming $expected"
assert errorLines.any { it.contains('@Async') } : 'the message should say what to do (@Async)'
// Fine.class was still rewritten; Forgetful.class was left as compiled (no marker)
assert new String(new File(basedir, 'target/classes/it/bad/Fine.class').bytes, 'ISO-8859-1').contains('Ldev/coro/spi/Rewritten;')
assert !new String(new File(basedir, 'target/classes/it/bad/Forgetful.class').bytes, 'ISO-8859-1').contains('dev/coro/spi/Rewritten')
return true
