namespace Rectify;

/// <summary>Anchor type for the UI strings: keys are the Simplified Chinese text; Resources/SharedResource.en.resx translates them.</summary>
public sealed class SharedResource;
