using MlNetExt.Core.IO;
using Xunit;

namespace MlNetExt.Core.Tests.IO;

public class AtomicFileTests
{
    [Fact]
    public void Failed_write_leaves_the_existing_file_and_no_temporary_file()
    {
        string folder = Directory.CreateTempSubdirectory("mlnetext-atomic-").FullName;
        try
        {
            string path = Path.Combine(folder, "model.onnx");
            File.WriteAllBytes(path, new byte[] { 1, 2, 3 });

            Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
            {
                stream.Write(new byte[] { 9, 9 });
                throw new InvalidOperationException("disk full");
            }));

            Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
            Assert.Equal(new[] { path }, Directory.GetFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Successful_write_replaces_the_file()
    {
        string folder = Directory.CreateTempSubdirectory("mlnetext-atomic-").FullName;
        try
        {
            string path = Path.Combine(folder, "weights.bin");
            File.WriteAllBytes(path, new byte[] { 1 });

            AtomicFile.WriteAllBytes(path, new byte[] { 4, 5 });

            Assert.Equal(new byte[] { 4, 5 }, File.ReadAllBytes(path));
            Assert.Single(Directory.GetFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_valid_250_byte_file_name_is_written()
    {
        string folder = Directory.CreateTempSubdirectory("mlnetext-atomic-").FullName;
        try
        {
            string path = Path.Combine(folder, new string('m', 246) + ".zip");

            AtomicFile.WriteAllBytes(path, new byte[] { 7, 8 });

            Assert.Equal(new byte[] { 7, 8 }, File.ReadAllBytes(path));
            Assert.Equal(new[] { path }, Directory.GetFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_missing_directory_is_reported_with_the_destination_path()
    {
        string folder = Path.Combine(Path.GetTempPath(), "mlnetext-missing-" + Guid.NewGuid().ToString("N"));
        string path = Path.Combine(folder, "model.zip");

        var error = Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.WriteAllBytes(path, new byte[] { 1 }));

        Assert.Contains(path, error.Message);
        Assert.DoesNotContain(".tmp", error.Message);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void A_destination_that_cannot_be_replaced_is_reported_with_its_path_and_leaves_no_temporary_file()
    {
        string folder = Directory.CreateTempSubdirectory("mlnetext-atomic-").FullName;
        try
        {
            string path = Path.Combine(folder, "model.zip");
            Directory.CreateDirectory(path);   // a directory cannot be replaced by a file

            var error = Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllBytes(path, new byte[] { 1 }));

            Assert.Contains(path, error.Message);
            Assert.DoesNotContain(".tmp", error.Message);
            Assert.Empty(Directory.GetFiles(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
