using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Rectify.Features.Common;

/// <summary>
/// Dates typed into the pages' forms. A browser's date picker sends 2026-03-31; a browser without one (an old machine
/// in compatibility mode), or a person typing, sends 2026/3/31, 2026.3.31, 2026年3月31日 or 20260331, all read as the same
/// day. A date that cannot be read, or does not exist (2026-02-30), is not taken as "no date": it is an error in the
/// model state that names what was typed, and <see cref="RefusalPageFilter"/> refuses the form with it before the handler
/// runs (an end date silently left empty once saved a notice's 公开期限 without its end).
/// </summary>
public sealed partial class TypedDateBinder : IModelBinder
{
    /// <summary>How every message of this binder begins, so that the page filter knows its errors from any other.</summary>
    public const string Marker = "日期“";

    public Task BindModelAsync(ModelBindingContext bindingContext)
    {
        ArgumentNullException.ThrowIfNull(bindingContext);
        var value = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
        if (value == ValueProviderResult.None)
        {
            return Task.CompletedTask;
        }

        bindingContext.ModelState.SetModelValue(bindingContext.ModelName, value);
        var typed = value.FirstValue;
        if (string.IsNullOrWhiteSpace(typed))
        {
            // Empty: no date (a required one is the handler's rule to state).
            if (Nullable.GetUnderlyingType(bindingContext.ModelType) is not null)
            {
                bindingContext.Result = ModelBindingResult.Success(null);
            }

            return Task.CompletedTask;
        }

        if (Read(typed, out var day, out var problem))
        {
            bindingContext.Result = ModelBindingResult.Success(day);
        }
        else
        {
            bindingContext.ModelState.TryAddModelError(bindingContext.ModelName, problem);
            bindingContext.Result = ModelBindingResult.Failed();
        }

        return Task.CompletedTask;
    }

    /// <summary>Reads a typed date; otherwise says why not, in words a person can act on.</summary>
    public static bool Read(string typed, out DateOnly day, out string problem)
    {
        ArgumentNullException.ThrowIfNull(typed);
        day = default;
        problem = string.Empty;
        var shown = typed.Length > 40 ? typed[..40] + "…" : typed.Trim();

        // A Chinese input method in full-width mode types ２０２６－０３－３１: the same date.
        var match = DatePattern().Match(Halfwidth(typed));
        if (!match.Success)
        {
            problem = $"{Marker}{shown}”无法识别，请按“年-月-日”填写，如 2026-03-31。";
            return false;
        }

        var year = int.Parse(match.Groups["y"].Value, CultureInfo.InvariantCulture);
        var month = int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture);
        var date = int.Parse(match.Groups["d"].Value, CultureInfo.InvariantCulture);
        if (year is < FirstYear or > LastYear)
        {
            problem = $"{Marker}{shown}”的年份应在 {FirstYear} 至 {LastYear} 之间。";
            return false;
        }

        if (month is < 1 or > 12)
        {
            problem = $"{Marker}{shown}”不存在：月份应为 1 至 12。";
            return false;
        }

        var days = DateTime.DaysInMonth(year, month);
        if (date < 1 || date > days)
        {
            problem = $"{Marker}{shown}”不存在：{year} 年 {month} 月只有 {days} 天。";
            return false;
        }

        day = new DateOnly(year, month, date);
        return true;
    }

    /// <summary>The first and last years a date may have, as the API's (ApiJson): a year outside them is a typo.</summary>
    public const int FirstYear = 1900;

    /// <inheritdoc cref="FirstYear"/>
    public const int LastYear = 2199;

    private static string Halfwidth(string typed) => string.Create(typed.Length, typed, (span, text) =>
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            span[i] = c is >= '\uFF01' and <= '\uFF5E' ? (char)(c - 0xFEE0) : c == '\u3000' ? ' ' : c;
        }
    });

    [GeneratedRegex(@"^\s*(?:(?<y>[0-9]{4})\s*[-/.年]\s*(?<m>[0-9]{1,2})\s*[-/.月]\s*(?<d>[0-9]{1,2})\s*日?|(?<y>[0-9]{4})(?<m>[0-9]{2})(?<d>[0-9]{2}))\s*$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex DatePattern();
}

/// <summary>Binds every <see cref="DateOnly"/> and <c>DateOnly?</c> a page takes with <see cref="TypedDateBinder"/>.</summary>
public sealed class TypedDateBinderProvider : IModelBinderProvider
{
    private static readonly TypedDateBinder Binder = new();

    public IModelBinder? GetBinder(ModelBinderProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Metadata.ModelType == typeof(DateOnly) || context.Metadata.ModelType == typeof(DateOnly?) ? Binder : null;
    }

    /// <summary>What was typed into the date field <paramref name="key"/> when this binder refused it; null otherwise.</summary>
    public static string? Refused(ModelStateDictionary state, string key)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.TryGetValue(key, out var entry) && entry.Errors.Any(e => e.ErrorMessage.StartsWith(TypedDateBinder.Marker, StringComparison.Ordinal))
            ? entry.AttemptedValue ?? string.Empty
            : null;
    }

    /// <summary>The first date a form was sent that could not be read, as its message; null when there is none.</summary>
    public static string? Unreadable(ModelStateDictionary state)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (var entry in state.Values)
        {
            foreach (var error in entry.Errors)
            {
                if (error.ErrorMessage.StartsWith(TypedDateBinder.Marker, StringComparison.Ordinal))
                {
                    return error.ErrorMessage;
                }
            }
        }

        return null;
    }
}
