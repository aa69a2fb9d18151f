package dev.gatehouse.vex;

/** VEX documents that cannot be merged (none given, or a statement without any timestamp). */
public class VexMergeException extends Exception {
    public VexMergeException(String message) {
        super(message);
    }
}
