// The same plugin on Maven 3.9: both goals rewrite, the tests pass, no plugin warnings.
def log = new File(basedir, 'build.log').text
assert log =~ /Apache Maven 3\.9\.\d+/ : 'this build should run on Maven 3.9'
def rewrites = log.readLines().findAll { it.contains('[INFO] rewrote ') }
println "plugin summary lines:\n  " + rewrites.join('\n  ')
assert rewrites.size() == 2
assert rewrites[0].contains('rewrote 3 methods in 2 classes')
assert rewrites[1].contains('rewrote 1 method in 1 class')
assert log.contains('Tests run: 1, Failures: 0, Errors: 0, Skipped: 0')
assert !log.readLines().any { it.contains('WARNING') && it.contains('coro-maven-plugin') } : 'Maven 3.9 should not warn about the plugin'
return true
