package dev.gatehouse.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Bounded reads of user-named files, with errors that name the file. */
public final class InputFiles {

    private InputFiles() {}

    /** The file's content, at most {@code maxBytes}; a missing file, a directory or an unreadable one names the file and the format. */
    public static byte[] read(Path file, String format, int maxBytes) throws MalformedInputException {
        try {
            return read(file, maxBytes);
        } catch (IOException e) {
            String problem = e.getMessage().startsWith(file + ": ") ? e.getMessage().substring(file.toString().length() + 2) : e.getMessage();
            throw new MalformedInputException(format, file.toString(), problem);
        }
    }

    /**
     * The file's content, at most {@code maxBytes}, or an IOException whose one-line message starts
     * with the file name and says what is wrong (no such file, a directory, too large, unreadable).
     */
    public static byte[] read(Path file, int maxBytes) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a directory, not a file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] content = in.readNBytes(maxBytes + 1);
            if (content.length > maxBytes) {
                throw new IOException(file + ": larger than " + maxBytes + " bytes");
            }
            return content;
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new IOException(file + ": permission denied", e);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(file + ": ")) {
                throw e;
            }
            throw new IOException(file + ": cannot read: " + Printable.oneLine(e.getMessage()), e);
        }
    }
}
