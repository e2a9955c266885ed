namespace Rectify.Features.Common;

/// <summary>
/// A request refused before its body was read, because the length it declared is over its endpoint's limit (in bytes):
/// kept in HttpContext.Items under <see cref="Item"/> by the middleware that refuses it (Hosting.DeclaredBodyLimit), for
/// the /Error page that the status code pages re-execute to say both sizes.
/// </summary>
public sealed record BodyTooLarge(long Declared, long Limit)
{
    public const string Item = "Rectify.BodyTooLarge";
}
