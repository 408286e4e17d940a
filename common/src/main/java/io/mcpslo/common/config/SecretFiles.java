package io.mcpslo.common.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold secrets or their hashes (tokens, keys): created owner-only (0600) from their first byte, so no
 * other user can open one in the moment between creating it and restricting it; rewritten by an atomic rename of
 * an owner-only copy, so a reader sees the old file or the new one, never half of it.
 */
public final class SecretFiles {

    private SecretFiles() {
    }

    /** Appends text, creating the file owner-only if it is missing. */
    public static void append(Path file, String text) throws IOException {
        createIfMissing(file);
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** Replaces the whole file with text. */
    public static void write(Path file, String text) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Path temporary = folder.resolve("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        createIfMissing(temporary);
        Files.writeString(temporary, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void createIfMissing(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            if (Files.getFileStore(file.toAbsolutePath().getParent()).supportsFileAttributeView("posix")) {
                FileAttribute<Set<PosixFilePermission>> ownerOnly =
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
                Files.createFile(file, ownerOnly);
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException alreadyThere) {
            // appended to as it is
        }
    }
}
