package dev.gatehouse.signature;

import dev.gatehouse.io.MalformedInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Bounded reads of user-named files, with errors that name the file. */
final class InputFiles {

    private InputFiles() {}

    static byte[] read(Path file, String format, int maxBytes) throws MalformedInputException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] content = in.readNBytes(maxBytes + 1);
            if (content.length > maxBytes) {
                throw new MalformedInputException(format, file.toString(), "larger than " + maxBytes + " bytes");
            }
            return content;
        } catch (NoSuchFileException e) {
            throw new MalformedInputException(format, file.toString(), "no such file");
        } catch (IOException e) {
            throw new MalformedInputException(format, file.toString(), "cannot read: " + e.getMessage());
        }
    }
}
