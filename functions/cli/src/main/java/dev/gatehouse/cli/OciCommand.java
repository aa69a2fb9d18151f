package dev.gatehouse.cli;

import dev.gatehouse.oci.CosignTag;
import dev.gatehouse.oci.Descriptor;
import dev.gatehouse.oci.Digest;
import dev.gatehouse.oci.ImageIndex;
import dev.gatehouse.oci.ImageReference;
import dev.gatehouse.oci.OciRepository;
import dev.gatehouse.oci.Platform;
import dev.gatehouse.oci.RegistryException;
import dev.gatehouse.oci.ResolvedImage;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse oci}: look at images and what is attached to them, in registries and OCI layouts. */
@Command(name = "oci", mixinStandardHelpOptions = true,
        description = "Resolve images and discover attached signatures, attestations and referrers (registry or oci:DIR).",
        subcommands = {OciCommand.Resolve.class, OciCommand.Discover.class, OciCommand.Tags.class, OciCommand.Catalog.class})
final class OciCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The image a subcommand looks at, narrowed to one platform of a multi-platform image when asked. Use as {@code @Mixin}. */
    static final class ImageArgument {
        @Mixin
        RegistryOptions registry;

        @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Select this platform of a multi-platform image.")
        String platform;

        @Parameters(paramLabel = "IMAGE", description = "Image reference or oci:DIR[:TAG].")
        String image;

        ResolvedImage resolve() throws RegistryException {
            ResolvedImage resolved = registry.repositories().resolve(ImageReference.parse(image));
            if (platform == null) {
                return resolved;
            }
            Platform wanted = Platform.parse(platform);
            return resolved.forPlatform(wanted).orElseThrow(() -> new RegistryException(RegistryException.Kind.NOT_FOUND,
                    resolved.reference() + " has no " + wanted + " image"));
        }
    }

    @Command(name = "resolve", mixinStandardHelpOptions = true,
            description = "Print the digest an image reference resolves to (and an index's platforms).")
    static final class Resolve implements Callable<Integer> {
        @Mixin
        ImageArgument target;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ResolvedImage resolved = target.resolve();
            PrintWriter out = spec.commandLine().getOut();
            out.println(resolved.reference().repositoryName() + "@" + resolved.digest());
            out.println("  mediaType " + resolved.descriptor().mediaType() + ", " + resolved.manifest().size() + " bytes");
            if (resolved.manifest() instanceof ImageIndex index) {
                for (Descriptor d : index.manifests()) {
                    out.println("  " + (d.platform() == null ? "-" : d.platform()) + " " + d.digest()
                            + (d.annotation("vnd.docker.reference.type") == null ? "" : " (" + d.annotation("vnd.docker.reference.type") + ")"));
                }
            }
            return 0;
        }
    }

    @Command(name = "discover", mixinStandardHelpOptions = true,
            description = "List what is attached to an image: OCI referrers (API, then the sha256-<hex> tag index) and cosign "
                    + ".sig/.att/.sbom tags, for every digest whose signatures count for it.")
    static final class Discover implements Callable<Integer> {
        @Mixin
        ImageArgument target;

        @Option(names = "--artifact-type", paramLabel = "TYPE", description = "Only referrers of this artifact type.")
        String artifactType;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ResolvedImage resolved = target.resolve();
            OciRepository repository = resolved.repository();
            PrintWriter out = spec.commandLine().getOut();
            for (Digest subject : resolved.signedSubjects()) {
                out.println(resolved.reference().repositoryName() + "@" + subject);
                for (Descriptor d : repository.referrers(subject, artifactType)) {
                    out.println("  referrer " + d.digest() + " " + (d.artifactType() == null ? d.mediaType() : d.artifactType()));
                }
                for (CosignTag kind : CosignTag.values()) {
                    Optional<Descriptor> found = repository.cosignArtifact(subject, kind);
                    if (found.isPresent()) {
                        out.println("  cosign " + kind.suffix() + " " + found.get().digest() + " (" + kind.tagFor(subject) + ")");
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "tags", mixinStandardHelpOptions = true, description = "List the tags of a repository or OCI layout.")
    static final class Tags implements Callable<Integer> {
        @Mixin
        RegistryOptions registry;

        @Parameters(paramLabel = "REPOSITORY", description = "Repository (host/path) or oci:DIR.")
        String repository;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            List<String> tags = registry.repositories().open(ImageReference.parse(repository)).tags();
            tags.forEach(spec.commandLine().getOut()::println);
            return 0;
        }
    }

    @Command(name = "catalog", mixinStandardHelpOptions = true, description = "List the repositories of a registry.")
    static final class Catalog implements Callable<Integer> {
        @Mixin
        RegistryOptions registry;

        @Option(names = "--max", defaultValue = "10000", description = "At most this many repositories (default ${DEFAULT-VALUE}).")
        int max;

        @Parameters(paramLabel = "HOST[:PORT]", description = "Registry host.")
        String host;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            registry.repositories().client(host).catalog(max).forEach(spec.commandLine().getOut()::println);
            return 0;
        }
    }
}
