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
}
