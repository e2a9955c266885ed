using Microsoft.Extensions.Localization;

// The assembly is named "rectify" (the command's name) but its resources are named after the root namespace.
[assembly: RootNamespace("Rectify")]

namespace Rectify;

/// <summary>Anchor type for the UI strings: keys are the Simplified Chinese text; Resources/SharedResource.en.resx translates them.</summary>
public sealed class SharedResource;
