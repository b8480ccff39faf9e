package dev.coro.maven;

import java.io.File;
import java.util.List;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Rewrites the {@code @Async} methods (and async lambdas) of the test classes,
 * {@code target/test-classes}, in place. Runs after {@code test-compile}; same parameters and
 * rules as {@code coro:instrument}. When the tests are not compiled ({@code -Dmaven.test.skip})
 * there is nothing to do and it says so.
 */
@Mojo(name = "instrument-test", defaultPhase = LifecyclePhase.PROCESS_TEST_CLASSES, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.TEST)
public class InstrumentTestMojo extends AbstractInstrumentMojo {

    /** The folder rewritten in place. */
    @Parameter(defaultValue = "${project.build.testOutputDirectory}", required = true)
    private File testClassesDirectory;

    /** Creates the mojo (Maven does). */
    public InstrumentTestMojo() {
    }

    @Override
    String goal() {
        return "instrument-test";
    }

    @Override
    File classesDirectory() {
        return testClassesDirectory;
    }

    @Override
    List<String> classpathElements() throws MojoExecutionException {
        try {
            return project.getTestClasspathElements();
        } catch (DependencyResolutionRequiredException e) {
            throw new MojoExecutionException("Cannot get the test classpath of " + project.getId(), e);
        }
    }

    @Override
    List<String> sourceRoots() {
        return project.getTestCompileSourceRoots();
    }
}
