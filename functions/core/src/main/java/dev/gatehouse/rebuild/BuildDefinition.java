package dev.gatehouse.rebuild;

import java.nio.file.Path;
import java.util.Objects;

/** How an image is built, given the base digest to build on. */
public sealed interface BuildDefinition {

    /** A Containerfile and its build context on this machine; the first {@code FROM} is replaced by the pinned base. */
    record Containerfile(Path containerfile, Path context) implements BuildDefinition {
        public Containerfile {
            Objects.requireNonNull(containerfile, "containerfile");
            Objects.requireNonNull(context, "context");
        }
    }

    /**
     * A base image plus additions, declared as data; the Containerfile is generated ({@link ContainerfileGenerator}).
     * buildah builds it on this machine; with {@code codebuildProject} CodeBuild builds it too, from a
     * generated buildspec (null: no CodeBuild project).
     */
    record Customised(Customisation customisation, String codebuildProject) implements BuildDefinition {
        public Customised {
            Objects.requireNonNull(customisation, "customisation");
            if (codebuildProject != null) {
                CodeBuildProject.checkName(codebuildProject);
            }
        }

        public Customised(Customisation customisation) {
            this(customisation, null);
        }
    }

    /**
     * An AWS CodeBuild project; {@code sourceLocation}, {@code sourceVersion} and {@code buildspec}
     * override the project's when set (null keeps the project's).
     */
    record CodeBuildProject(String project, String sourceLocation, String sourceVersion, String buildspec) implements BuildDefinition {
        public CodeBuildProject {
            checkName(project);
        }

        static void checkName(String project) {
            if (project == null || !project.matches("[A-Za-z0-9][A-Za-z0-9_-]{1,254}")) {
                throw new IllegalArgumentException("invalid CodeBuild project name '" + project + "'");
            }
        }
    }
}
