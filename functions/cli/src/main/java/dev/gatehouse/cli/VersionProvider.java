package dev.gatehouse.cli;

import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Gatehouse.class.getPackage().getImplementationVersion();
        return new String[] {"gatehouse " + (v == null ? "dev" : v)};
    }
}
