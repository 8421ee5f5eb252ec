using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MlNetExt.Vision.Tests.Catalog;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 for download tests. Routes: <c>/file</c> serves the payload,
/// <c>/cut</c> announces the full length but closes the connection halfway, <c>/missing</c> answers 404,
/// <c>/stall</c> sends the headers and half the payload and then nothing until the server is disposed,
/// <c>/slow</c> serves the payload in 16 pieces 50 ms apart.
/// </summary>
internal sealed class LocalFileServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly byte[] _payload;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LocalFileServer(byte[] payload)
    {
        _payload = payload;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _loop = Task.Run(AcceptLoop);
    }

    public int Requests;

    public Uri Url(string path) => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/{path}");

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using (client)
        {
            Interlocked.Increment(ref Requests);
            var stream = client.GetStream();
            var request = new StringBuilder();
            var buffer = new byte[1];
            while (!request.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(buffer) == 1)
            {
                request.Append((char)buffer[0]);
            }

            string path = request.ToString().Split(' ')[1].TrimStart('/');
            if (path == "missing")
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
                return;
            }

            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {_payload.Length}\r\nConnection: close\r\n\r\n"));
            int count = path is "cut" or "stall" ? _payload.Length / 2 : _payload.Length;
            if (path == "slow")
            {
                int piece = (_payload.Length + 15) / 16;
                for (int offset = 0; offset < _payload.Length; offset += piece)
                {
                    await stream.WriteAsync(_payload.AsMemory(offset, Math.Min(piece, _payload.Length - offset)));
                    await stream.FlushAsync();
                    await Task.Delay(50);
                }
            }
            else
            {
                await stream.WriteAsync(_payload.AsMemory(0, count));
                await stream.FlushAsync();
            }

            if (path == "stall")
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }

            client.Client.Shutdown(SocketShutdown.Both);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }
}
