namespace Rectify.Features.Common;

/// <summary>
/// The size a page tells the person its upload may be ("每个文件不超过 20 MB"), where its request limit adds room for
/// the rest of the form: a refusal names this size, not the request's, so that the page and its refusal agree.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class StatedUploadLimitAttribute(long bytes) : Attribute
{
    public long Bytes { get; } = bytes;
}
