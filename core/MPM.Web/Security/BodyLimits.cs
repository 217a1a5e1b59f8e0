using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MPM.Web.Security;

/// <summary>
/// How large a request body may be, refused early and answered plainly on every endpoint:
/// <list type="bullet">
/// <item>the server-wide default (BodyLimits:DefaultBytes, 1 MB) covers the pages' forms and anything without a limit of
/// its own: the largest form (plugin settings with PEM certificates) is a few KB, and no page takes file uploads;</item>
/// <item>plugin endpoints under /plugins/{id} get BodyLimits:PluginBytes (1 MB) as group metadata; a plugin overrides it
/// per endpoint with its own <c>RequestSizeLimitAttribute</c> (smaller or larger) or <c>DisableRequestSizeLimit</c>;</item>
/// <item>the REST API keeps its own 1 MB (<see cref="Api.ApiResults.MaxBodyBytes"/>).</item>
/// </list>
/// A declared Content-Length over the limit is answered 413 before authentication or any handler runs; a chunked body
/// is counted as it is read and fails the read with a 413 <see cref="BadHttpRequestException"/> once past the limit,
/// which the host answers 413 with a short message when the handler does not. Either way the server then reads and
/// discards the rest of the body (up to <see cref="DrainBytes"/> more) instead of closing the connection under the
/// client's feet: a client still sending would otherwise get a reset instead of the answer. Other bodies the server
/// refuses (bad chunked framing) are answered with their status (400). A page's form is read here, before the handler,
/// so that a form the server cannot take (too large, too many fields, broken multipart) gets 413 or 400 with a reason
/// instead of failing the antiforgery check.
/// </summary>
public static class BodyLimits
{
    public const string Section = "BodyLimits";
    public const long DefaultBytes = 1024 * 1024;

    /// <summary>How much of a refused body is read and thrown away so that the client gets its answer.</summary>
    public const long DrainBytes = 4 * 1024 * 1024;

    public sealed record Settings(long DefaultBytes, long PluginBytes);

    public static Settings Read(IConfiguration configuration) =>
        new(Positive(configuration, "DefaultBytes"), Positive(configuration, "PluginBytes"));

    private static long Positive(IConfiguration configuration, string key)
    {
        var value = configuration.GetValue($"{Section}:{key}", DefaultBytes);
        return value > 0 ? value : throw new InvalidOperationException($"{Section}:{key} must be a positive number of bytes, not {value}");
    }

    public static IServiceCollection AddMpmBodyLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = Read(configuration);
        services.AddSingleton(settings);
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = settings.DefaultBytes);
        services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = settings.DefaultBytes);
        return services;
    }

    /// <summary>After routing (which applies the endpoint's own limit), before authentication and the endpoints.</summary>
    public static IApplicationBuilder UseBodyLimits(this IApplicationBuilder app)
    {
        var settings = app.ApplicationServices.GetRequiredService<Settings>();
        return app.Use(async (context, next) =>
        {
            var limit = LimitOf(context, settings.DefaultBytes);
            if (limit is { } bytes && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } server)
            {
                // The server lets the rest of a refused body be read and discarded; the limit itself is counted here.
                server.MaxRequestBodySize = bytes + DrainBytes;
                context.Request.Body = new LimitedBody(context.Request.Body, bytes);
            }

            if (context.Request.ContentLength > limit)
            {
                await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, TooLarge(limit!.Value));
                return;
            }

            try
            {
                if (IsPageForm(context))
                {
                    try
                    {
                        await context.Request.ReadFormAsync(context.RequestAborted);
                    }
                    catch (Exception e) when (e is InvalidDataException || e is IOException && e is not BadHttpRequestException)
                    {
                        // The form reader's own limits (field count, field length) and a broken multipart structure.
                        await RefuseAsync(context, StatusCodes.Status400BadRequest, $"The form could not be read: {e.Message}");
                        return;
                    }
                }

                await next(context);
            }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted)
            {
                await RefuseAsync(context, e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge && limit is { } max ? TooLarge(max) : $"The request could not be read: {e.Message}");
            }
        });
    }

    /// <summary>What the server enforces for this request (set by routing from the endpoint's metadata); without a server feature (the in-memory test server), the metadata itself.</summary>
    private static long? LimitOf(HttpContext context, long fallback) =>
        context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { } feature ? feature.MaxRequestBodySize
        : context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } metadata ? metadata.MaxRequestBodySize
        : fallback;

    private static bool IsPageForm(HttpContext context) =>
        !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
        && context.Request.HasFormContentType && context.GetEndpoint()?.Metadata.GetMetadata<PageActionDescriptor>() is not null;

    private static string TooLarge(long bytes) =>
        $"The request body is too large: at most {(bytes % 1024 == 0 ? $"{bytes / 1024} KB" : $"{bytes} bytes")} may be sent here.";

    private static Task RefuseAsync(HttpContext context, int status, string message) => ShortAnswer.WriteAsync(context, status, message);
}

/// <summary>A request body that fails the read with 413 once more than its limit has been read.</summary>
internal sealed class LimitedBody(Stream inner, long limit) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    private int Count(int read)
    {
        _read += read;
        return _read > limit
            ? throw new BadHttpRequestException($"Request body too large. The max request body size is {limit} bytes.", StatusCodes.Status413PayloadTooLarge)
            : read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
