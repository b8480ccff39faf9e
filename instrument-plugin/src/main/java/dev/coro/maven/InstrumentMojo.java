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
 * Rewrites the {@code @Async} methods (and async lambdas) of the main classes,
 * {@code target/classes}, into state machines, in place. Runs after {@code compile}.
 *
 * <p>The build fails, listing every site as {@code path/File.java:line: message}, when the
 * rewriter refuses code (see {@code failOnError}). Classes already rewritten, and classes not
 * changed since the last run, are left alone.
 */
@Mojo(name = "instrument", defaultPhase = LifecyclePhase.PROCESS_CLASSES, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.COMPILE)
public class InstrumentMojo extends AbstractInstrumentMojo {

    /** The folder rewritten in place. */
    @Parameter(defaultValue = "${project.build.outputDirectory}", required = true)
    private File classesDirectory;

    /** Creates the mojo (Maven does). */
    public InstrumentMojo() {
    }

    @Override
    String goal() {
        return "instrument";
    }

    @Override
    File classesDirectory() {
        return classesDirectory;
    }

    @Override
    List<String> classpathElements() throws MojoExecutionException {
        try {
            return project.getCompileClasspathElements();
        } catch (DependencyResolutionRequiredException e) {
            throw new MojoExecutionException("Cannot get the compile classpath of " + project.getId(), e);
        }
    }

    @Override
    List<String> sourceRoots() {
        return project.getCompileSourceRoots();
    }
}
