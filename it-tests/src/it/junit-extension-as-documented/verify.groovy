// The README's "Testing" section is what this project is: its pom and its test class are the ones
// the README shows (compared here), and the build ran their three Coro tests and passed.
def log = new File(basedir, 'build.log').text
def readme = new File(basedir, '../../../../README.md').text

/** The fenced block of `lang` that follows the heading `heading` in the README. */
def block = { String heading, String lang ->
    int at = readme.indexOf(heading)
    assert at >= 0 : "README.md has no '$heading'"
    def m = (readme.substring(at) =~ /(?s)```${lang}\n(.*?)```/)
    assert m.find() : "no ```$lang block after '$heading' in README.md"
    m.group(1)
}
def normalize = { String text -> text.readLines()*.trim().findAll { it } }

def pomShown = block('#### The pom', 'xml').replace('0.1.0-SNAPSHOT', coroVersion)
assert normalize(new File(basedir, 'pom.xml').text) == normalize(pomShown) : 'pom.xml is not the README\'s pom'
def testShown = block('#### The tests', 'java')
assert normalize(new File(basedir, 'src/test/java/com/acme/GreeterTest.java').text) == normalize(testShown) :
        'GreeterTest.java is not the README\'s test class'
def codeShown = block('#### The code under test', 'java')
assert normalize(new File(basedir, 'src/main/java/com/acme/Greeter.java').text) == normalize(codeShown) :
        'Greeter.java is not the README\'s Greeter'

// the Coro engine ran the three @CoroTest methods, and they passed
assert log.contains('Tests run: 3, Failures: 0, Errors: 0, Skipped: 0') : 'the three Coro tests did not all run and pass'
assert !(log =~ /Tests run: \d+, Failures: [1-9]/) && !(log =~ /Errors: [1-9]/)
def report = new File(basedir, 'target/surefire-reports/TEST-com.acme.GreeterTest.xml')
assert report.isFile() : "no Surefire report at $report"
['answersOnARealSocket', 'dropsASilentClientAfter30Seconds', 'cancellingServeForeverClosesTheServer'].each {
    assert report.text.contains("name=\"${it}()\"") || report.text.contains("name=\"${it}\"") : "$it did not run"
}
return true
