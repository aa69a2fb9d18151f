package dev.gatehouse.sbom;

/**
 * What a component is, as far as policies care: a package installed by the OS package manager, a
 * package of a language ecosystem, an application, a container image, a single file, or other.
 */
public enum ComponentKind {
    OS_PACKAGE("os"),
    LANGUAGE_PACKAGE("language"),
    APPLICATION("application"),
    CONTAINER("container"),
    FILE("file"),
    OTHER("other");

    private final String id;

    ComponentKind(String id) {
        this.id = id;
    }

    /** The name used in JSON output and in the policy input ({@code os}, {@code language}, ...). */
    public String id() {
        return id;
    }
}
