using System.Collections;
using System.ComponentModel;
using System.Reflection;

namespace CdnProxy.Server.Tests;

/// <summary>
/// Checks configuration key paths (<c>Clouds:demo:Origin:Type</c>) against an options type the way the configuration
/// binder reads them: property names case-insensitive, any key at a dictionary level, an index at a list level, and
/// nothing below a value that converts from a string.
/// </summary>
internal static class OptionPaths
{
    /// <summary>Null when the path binds to a property, else the shortest prefix of it that does not.</summary>
    public static string? FirstUnknownPrefix(Type root, IReadOnlyList<string> segments)
    {
        var type = root;
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (IsValue(type))
            {
                return Prefix(segments, i);
            }

            if (DictionaryValueType(type) is { } valueType)
            {
                type = valueType;
                continue;
            }

            if (ElementType(type) is { } elementType)
            {
                if (!int.TryParse(segment, out _))
                {
                    return Prefix(segments, i);
                }

                type = elementType;
                continue;
            }

            var property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return Prefix(segments, i);
            }

            type = property.PropertyType;
        }

        return null;
    }

    private static string Prefix(IReadOnlyList<string> segments, int last) => string.Join(':', segments.Take(last + 1));

    private static bool IsValue(Type type) =>
        type == typeof(string) || type.IsPrimitive || type.IsEnum || TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));

    private static Type? DictionaryValueType(Type type) =>
        GenericInterface(type, typeof(IDictionary<,>)) is { } dictionary && dictionary.GetGenericArguments()[0] == typeof(string)
            ? dictionary.GetGenericArguments()[1]
            : null;

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : typeof(IEnumerable).IsAssignableFrom(type) ? GenericInterface(type, typeof(IEnumerable<>))?.GetGenericArguments()[0]
        : null;

    private static Type? GenericInterface(Type type, Type definition) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == definition
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition);
}
