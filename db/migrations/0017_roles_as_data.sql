ALTER TABLE "roles" ADD COLUMN "requires_totp" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "permissions" ADD CONSTRAINT "permissions_conditions_shape" CHECK (case when "permissions"."conditions" is null then true
        when jsonb_typeof("permissions"."conditions") <> 'object' or "permissions"."conditions" = '{}'::jsonb then false
        when "permissions"."conditions" - 'own' - 'zones' - 'max_amount_paise' - 'step_up' <> '{}'::jsonb then false
        when coalesce("permissions"."conditions" -> 'own' <> 'true'::jsonb, false) or coalesce("permissions"."conditions" -> 'zones' <> 'true'::jsonb, false)
          or coalesce("permissions"."conditions" -> 'step_up' <> 'true'::jsonb, false) then false
        when not "permissions"."conditions" ? 'max_amount_paise' then true
        when jsonb_typeof("permissions"."conditions" -> 'max_amount_paise') <> 'number' then false
        else ("permissions"."conditions" ->> 'max_amount_paise')::numeric between 0 and 1000000000000
          and ("permissions"."conditions" ->> 'max_amount_paise')::numeric = trunc(("permissions"."conditions" ->> 'max_amount_paise')::numeric) end);--> statement-breakpoint
ALTER TABLE "roles" ADD CONSTRAINT "roles_name_format" CHECK ("roles"."name" ~ '^[a-z][a-z0-9_]{1,39}$');--> statement-breakpoint
-- Roles are edited in the admin now; the admin role stays the way back in: it keeps its name and its '*' on '*'
-- grant without conditions, whatever a request or a SQL prompt does (the API refuses first, with a message).
CREATE FUNCTION roles_admin_fixed_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.name = 'admin' AND (TG_OP = 'DELETE' OR NEW.name <> 'admin') THEN
    RAISE EXCEPTION 'the admin role cannot be renamed or deleted'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'roles_admin_fixed';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER roles_admin_fixed BEFORE UPDATE OF name OR DELETE ON roles
  FOR EACH ROW EXECUTE FUNCTION roles_admin_fixed_check();
--> statement-breakpoint
CREATE FUNCTION permissions_admin_keeps_all_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.resource = '*' AND OLD.action = '*' AND OLD.role_id = (SELECT id FROM roles WHERE name = 'admin')
     AND (TG_OP = 'DELETE' OR NEW.role_id <> OLD.role_id OR NEW.resource <> '*' OR NEW.action <> '*' OR NEW.conditions IS NOT NULL) THEN
    RAISE EXCEPTION 'the admin role keeps its * on * permission, without conditions'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'permissions_admin_keeps_all';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER permissions_admin_keeps_all BEFORE UPDATE OR DELETE ON permissions
  FOR EACH ROW EXECUTE FUNCTION permissions_admin_keeps_all_check();
